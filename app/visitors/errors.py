"""The visitors domain's errors: each a core error with its status and stable machine code."""

from __future__ import annotations

from app.core.errors import (
    Conflict,
    Forbidden,
    InvalidToken,
    InvalidTransition,
    NotFound,
    ServiceUnavailable,
    ValidationFailed,
)

# Why a pass is refused (InvalidPass.reason), in the order they are checked.
REASONS = {
    "unknown": "This pass was not issued by Sangam.",
    "revoked": "This pass has been revoked.",
    "used": "This pass has already been used: the visit has ended.",
    "blocked": "This person may not be admitted.",
    "not_yet_valid": "This pass is not valid yet.",
    "expired": "This pass has expired.",
}


class InvalidPass(InvalidToken):
    """400 invalid_token with a machine-readable ``reason`` (see REASONS)."""

    def __init__(self, reason: str, detail: str | None = None):
        message = REASONS[reason] + (f" {detail}" if detail else "")
        super().__init__(message, errors={"reason": [reason]})
        self.reason = reason


class VisitOutOfOrder(InvalidTransition):
    """409 invalid_transition: check-in, check-out or revocation out of order."""

    message = "The visit is not in a state that allows this."


class VisitNotFound(NotFound):
    """404: no visit with this code (or not one the caller may see)."""

    message = "No visit with this code."


class PersonNotFound(NotFound):
    """404: no such person (or not one the caller may see)."""

    message = "No person with this id."


class BlockNotFound(NotFound):
    """404: no active block list entry matches."""

    message = "No active block list entry matches."


class CardNotFound(NotFound):
    """404: no card with this number is assigned."""

    message = "No card with this number is assigned."


class NotYourVisit(Forbidden):
    """403: a host may invite visitors only for themselves."""

    message = "You may invite visitors only as their host."


class VisitorBlocked(Conflict):
    """The person is on the visitors' block list: no pass is issued."""

    error = "visitor_blocked"
    message = "This person is on the block list: no pass can be issued."


class AlreadyBlocked(Conflict):
    """An active block list entry already names this phone or identity number."""

    error = "already_blocked"
    message = "This person is already on the block list."


class CardTaken(Conflict):
    """The RFID card number is assigned to someone else."""

    error = "card_taken"
    message = "This card number is already assigned to someone else."


class NotEnrolled(Conflict):
    """The person has no face template to verify against."""

    error = "not_enrolled"
    message = "This person has no face template: enrol them first (with their consent)."


class BiometricsUnavailable(ServiceUnavailable):
    """Face biometrics are not installed or switched off on this server."""

    error = "biometrics_unavailable"
    message = ("Face biometrics are not available on this server: install requirements-biometrics.txt "
               "(dlib-bin and face-recognition-models) or set FACE_BIOMETRICS_ENABLED=true.")


class FaceImageProblem(ValidationFailed):
    """422 about the uploaded image, with the message under ``errors.image``."""

    def __init__(self, message: str | None = None):
        message = message or self.message
        super().__init__({"image": [message]}, message)


class InvalidImage(FaceImageProblem):
    """422 validation_error: the upload is not a readable image."""

    message = "The upload is not a readable JPEG, PNG or WebP image."


class NoFace(FaceImageProblem):
    """The photo shows no face."""

    error = "no_face"
    message = "No face was found in the image: use a clear, front-facing photo."


class SeveralFaces(FaceImageProblem):
    """The photo shows more than one face."""

    error = "several_faces"
    message = "Several faces are in the image: take a photo of one person alone."
