"""gunicorn settings for `make serve` and the Docker image.

Socket.IO runs in threading mode (simple-websocket; never eventlet, and gevent would need the whole
stack monkey-patched): one worker process with many threads, because every open WebSocket holds a
thread and Engine.IO's long-polling needs each client to come back to the same process — several
workers behind one port cannot promise that, several containers behind nginx's `ip_hash` can.

Chosen by measurement (`make bench`, docs/bench.md): on this 2-core box 2 × 16 and 4 × 4 gthread gave
no clear difference in CPU per request under load, and more threads only add GIL contention for
requests; WEB_THREADS (default 32) is sized for the sockets one process serves (consoles, signs)
plus its concurrent requests. `make bench` runs 2 × 16 for both Sangam and the ceiling.
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
