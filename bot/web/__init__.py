"""The edge over HTTP: the app factory, the WeChat webhook, the console, replay of held
turns, and `make run`.
"""
