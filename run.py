"""Embedded demo server: API, docs, console and Socket.IO in one process (``make run``)."""

import argparse

from wsgi import app, socketio

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args()
    print(f"Sangam is serving on http://{args.host}:{args.port}  (docs: /api/docs, console: /console/)")
    socketio.run(app, host=args.host, port=args.port, allow_unsafe_werkzeug=True)
