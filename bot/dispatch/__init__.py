"""What handlers plug into: the declarative router, the context a handler receives,
and who is writing.
"""
