"""WSGI entry point: ``gunicorn wsgi:app`` (Socket.IO is served by the same app)."""

from app import create_app
from app.extensions import socketio

app = create_app()

__all__ = ["app", "socketio"]
