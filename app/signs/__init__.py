"""The festival signs domain (CA-1 … CA-7): live signs over Socket.IO, templates, targeted messages and
overrides with per-sign acknowledgement and auto-revert, moderated attendee submissions, SMS and voice."""
