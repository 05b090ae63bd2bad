"""The enrolled faces as one in-memory matrix, reloaded only when an enrolment or erasure has committed.

Identification must compare a probe with every enrolled embedding in milliseconds, so each
process keeps the gallery in memory, keyed by the random ``revision`` in ``visitors_face_gallery``.
Every enrolment and erasure writes a fresh random revision in its own transaction: another
process sees it once committed and reloads; a rolled-back change leaves a revision nobody will
ever read again, so a cache can never serve a gallery that did not happen.
"""

from __future__ import annotations

import secrets
import threading

from sqlalchemy import select, update

from app.extensions import db
from app.visitors.faces.matching import Gallery
from app.visitors.models import FaceGallery, FaceTemplate

ROW = 1
_lock = threading.Lock()
_cached: dict[str, Gallery] = {}


def bump_revision() -> None:
    """Mark the gallery changed (call in the transaction that enrols or erases)."""
    revision = secrets.token_hex(16)
    moved = db.session.execute(update(FaceGallery).where(FaceGallery.id == ROW).values(revision=revision)).rowcount
    if not moved:
        db.session.add(FaceGallery(id=ROW, revision=revision))
        db.session.flush()


def _load() -> Gallery:
    rows = db.session.execute(select(FaceTemplate.person_id, FaceTemplate.embedding).order_by(FaceTemplate.person_id))
    return Gallery.from_blobs(rows)


def current_gallery() -> Gallery:
    """Every enrolled embedding: from memory when the revision is unchanged, else freshly loaded."""
    revision = db.session.scalar(select(FaceGallery.revision).where(FaceGallery.id == ROW))
    with _lock:
        if revision and revision in _cached:
            return _cached[revision]
    gallery = _load()
    if revision:
        with _lock:
            _cached.clear()
            _cached[revision] = gallery
    return gallery
