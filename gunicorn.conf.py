"""Gunicorn settings for the web process; gunicorn reads this file from the folder it starts in
(the Procfile and `make run` start there), and command-line flags override it."""

# Threads, not one sync request per worker: two clients sending their headers slowly held both
# sync workers and took the webhook down. A connection waits in the poller until it is readable,
# and a handful of slow ones now leave threads for WeChat. A reverse proxy that buffers whole
# requests (README) is still the real defence against many.
worker_class = "gthread"
threads = 8
timeout = 30
graceful_timeout = 10
keepalive = 2
# WeChat's callbacks are small: a huge request line or header block is not WeChat.
limit_request_line = 2048
limit_request_fields = 40
limit_request_field_size = 4096
