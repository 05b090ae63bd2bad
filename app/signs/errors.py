"""Errors of the signs domain, each with its status and machine code.

A state change that is no longer possible (cancelling an ended override, approving a moderated
submission) raises the platform's ``InvalidTransition`` (409 ``invalid_transition``).
"""

from __future__ import annotations

from app.core.errors import Conflict, NotFound


class SignNotFound(NotFound):
    message = "No sign with this id."


class TemplateNotFound(NotFound):
    message = "No sign template with this slug."


class MessageNotFound(NotFound):
    message = "No sign message with this id."


class OverrideNotFound(NotFound):
    message = "No sign override with this id."


class SubmissionNotFound(NotFound):
    message = "No submission with this id."


class NotDelivered(NotFound):
    """A sign acknowledged a message or override it was never sent."""

    error = "not_delivered"
    message = "This sign was never sent that message or override."


class TemplateExists(Conflict):
    """A sign template with this slug already exists."""

    error = "template_exists"
    message = "A template with this slug already exists."
