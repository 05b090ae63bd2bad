"""gunicorn settings for `make serve` and the Docker image.

Socket.IO runs in threading mode: one worker process with many threads serves WebSockets
(simple-websocket). Scale out with more containers behind nginx's sticky upstream.
"""

import os

# Loopback unless told otherwise: in compose and the image, BIND_HOST=0.0.0.0 behind nginx.
bind = f"{os.environ.get('BIND_HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_WORKERS", "1"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "32"))
timeout = 60
graceful_timeout = 20
keepalive = 5
# nginx (large_client_header_buffers 8k) refuses longer request lines itself, with a JSON 414.
limit_request_line = 8190
accesslog = "-" if os.environ.get("ACCESS_LOG", "0") == "1" else None
errorlog = "-"


def on_starting(server):
    """Check the configuration in the master: a weak or missing secret stops gunicorn with one line."""
    import config

    config.build_config()
