"""Errors of the signs domain, each with its status and machine code."""

from __future__ import annotations

from app.core.errors import APIError, Conflict, NotFound, Unauthorized


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


class TemplateExists(Conflict):
    error = "template_exists"
    message = "A template with this slug already exists."


class InvalidTransition(Conflict):
    error = "invalid_transition"
    message = "This change is not possible in the current state."


class InvalidDeviceKey(Unauthorized):
    error = "invalid_device_key"
    message = "The device key is missing, unknown, revoked or not a sign's."


class NotDelivered(NotFound):
    error = "not_delivered"
    message = "This sign was never sent that message or override."


class ChannelUnavailable(APIError):
    status = 503
    error = "channel_unavailable"
    message = "This notification channel is not configured on the platform."
