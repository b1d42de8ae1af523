"""WeChat's side of the wire: callback protocol, messages, replies, the API client and a
fake API (imports nothing else of ours).
"""
