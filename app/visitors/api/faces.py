"""Face biometrics endpoints (CR-1): enrol with consent, erase, 1:1 verify, 1:N identify, statistics.

Photos arrive as multipart uploads of at most FACE_MAX_UPLOAD_BYTES, are read into memory (never
spooled to a temporary file, whatever their size) and are dropped with the request.
"""

from __future__ import annotations

import io

from flask import current_app, request
from flask_jwt_extended import get_current_user

from app.core.security import ADMIN, RECEPTION, login_required, roles_required
from app.visitors import schemas as s
from app.visitors import service
from app.visitors.api.blueprints import faces_blp as blp


def _in_memory_stream(*_args, **_kwargs):
    return io.BytesIO()


@blp.before_request
def keep_photos_in_memory():
    """Photo uploads: their own size limit, and parts held in memory instead of Werkzeug's temp files."""
    if request.method == "POST":
        request.max_content_length = current_app.config["FACE_MAX_UPLOAD_BYTES"]
        request._get_file_stream = _in_memory_stream


def _photo(form: dict) -> bytes:
    return form["image"].read()


@blp.route("/people/<int:person_id>/face", methods=["POST"])
@roles_required(RECEPTION)
@blp.arguments(s.FaceEnrolFormSchema, location="files")
@blp.response(201, s.EnrolmentSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY", description="`no_face`, `several_faces`, not an image")
@blp.alt_response(503, response="DEFAULT_ERROR", description="`biometrics_unavailable`")
def enrol_face(form, person_id):
    """Enrol a consenting person's face (`image` + `consent=true`): only the embedding is stored, never the photo."""
    return service.enrol_face(person_id=person_id, image=_photo(form), consent=form["consent"],
                              actor_id=get_current_user().id)


@blp.route("/people/<int:person_id>/face", methods=["DELETE"])
@login_required
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
def erase_face(person_id):
    """Erase the person's face template (consent withdrawn): reception, or the person themselves."""
    service.erase_face(actor=get_current_user(), person_id=person_id)


@blp.route("/face/verify", methods=["POST"])
@roles_required(RECEPTION)
@blp.arguments(s.FaceVerifyFormSchema, location="files")
@blp.response(200, s.VerificationSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="`not_enrolled`")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY", description="`no_face`, `several_faces`, not an image")
@blp.alt_response(503, response="DEFAULT_ERROR", description="`biometrics_unavailable`")
def verify_face(form):
    """1:1: is the face in `image` the enrolled person `person_id`? `{match, distance, threshold}`."""
    return service.verify_face(person_id=form["person_id"], image=_photo(form), actor_id=get_current_user().id)


@blp.route("/face/identify", methods=["POST"])
@roles_required(RECEPTION)
@blp.arguments(s.FaceImageSchema, location="files")
@blp.response(200, s.IdentificationSchema)
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY", description="`no_face`, `several_faces`, not an image")
@blp.alt_response(503, response="DEFAULT_ERROR", description="`biometrics_unavailable`")
def identify_face(form):
    """1:N: enrolled people whose face is within FACE_MATCH_THRESHOLD of the photo's, best first."""
    return service.identify_face(image=_photo(form), actor_id=get_current_user().id)


@blp.route("/biometrics/stats", methods=["GET"])
@roles_required(ADMIN)
@blp.arguments(s.BiometricStatsQuerySchema, location="query")
@blp.response(200, s.BiometricStatsSchema)
def biometric_stats(query):
    """Enrolled people, verifications and identifications per day, match rate and mean latency."""
    return service.biometric_stats(**query)
