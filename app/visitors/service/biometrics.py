"""Face biometrics (CR-1): enrol with consent, erase on withdrawal, 1:1 verify, 1:N identify, usage log.

Only the 128-number embedding is stored, with when consent was given and who recorded it; the
photo is decoded in memory and dropped with the request. Every verification and identification
is logged (result, distance, latency) for the statistics, never with the image or the embedding.
"""

from __future__ import annotations

import time

from flask import current_app
from sqlalchemy import delete, select

from app.core.errors import ValidationFailed
from app.core.events import transactional
from app.core.security import RECEPTION, has_role
from app.core.timeutil import utcnow
from app.extensions import db
from app.visitors import events
from app.visitors.errors import BiometricsUnavailable, NotEnrolled, PersonNotFound
from app.visitors.faces import engine, imaging
from app.visitors.faces.matching import distance, from_bytes, to_bytes
from app.visitors.models import ENROL, ERASE, IDENTIFY, VERIFY, BiometricLog, FaceTemplate, Person
from app.visitors.service.gallery import bump_revision, current_gallery
from app.visitors.service.people import get_person


def unavailable_reason() -> str | None:
    """Why faces cannot be processed on this server now (None when they can)."""
    if not current_app.config["FACE_BIOMETRICS_ENABLED"]:
        return "they are switched off (FACE_BIOMETRICS_ENABLED=false)"
    return engine.unavailable_reason()


def _require_engine() -> None:
    reason = unavailable_reason()
    if reason:
        raise BiometricsUnavailable(f"Face biometrics are not available on this server: {reason}.")


def _face_in(image: bytes) -> engine.Face:
    cfg = current_app.config
    rgb = imaging.decode_rgb(image, max_side=cfg["FACE_MAX_SIDE"], max_pixels=cfg["FACE_MAX_PIXELS"])
    return engine.find_one_face(rgb, upsample=cfg["FACE_UPSAMPLE"])


def _log(kind: str, *, person_id=None, actor_id=None, matched=None, dist=None, started=None, note=None) -> None:
    latency = None if started is None else round((time.perf_counter() - started) * 1000.0, 1)
    db.session.add(BiometricLog(kind=kind, person_id=person_id, actor_id=actor_id, matched=matched, distance=dist,
                                latency_ms=latency, note=note, at=utcnow()))


@transactional
def enrol_face(*, person_id: int, image: bytes, consent: bool, actor_id: int | None = None) -> dict:
    """Store the face embedding of a consenting person (replacing an earlier one); never the photo."""
    _require_engine()
    if consent is not True:
        raise ValidationFailed({"consent": ["Enrolment needs the person's consent: send consent=true once given."]})
    person = get_person(person_id)
    face = _face_in(image)
    now = utcnow()
    template = db.session.scalar(select(FaceTemplate).where(FaceTemplate.person_id == person.id))
    if template is None:
        template = FaceTemplate(person_id=person.id)
        db.session.add(template)
    template.embedding, template.model, template.quality = to_bytes(face.embedding), engine.MODEL_NAME, face.quality
    template.consent_at, template.consent_recorded_by_id, template.enrolled_at = now, actor_id, now
    bump_revision()
    _log(ENROL, person_id=person.id, actor_id=actor_id, note=f"quality {face.quality}")
    events.face_enrolled(person.id, face.quality)
    return {"enrolled": True, "person_id": person.id, "quality": face.quality, "model": engine.MODEL_NAME,
            "consent_at": now, "enrolled_at": now}


@transactional
def erase_face(*, actor, person_id: int) -> bool:
    """Erase a person's face template (consent withdrawn): reception, or the person themselves; True if one existed."""
    person = get_person(person_id)
    if not has_role(actor, RECEPTION) and person.user_id != actor.id:
        raise PersonNotFound()
    erased = db.session.execute(delete(FaceTemplate).where(FaceTemplate.person_id == person.id)).rowcount
    if erased:
        bump_revision()
        _log(ERASE, person_id=person.id, actor_id=actor.id, note="consent withdrawn")
        events.face_erased(person.id)
    return bool(erased)


def _threshold() -> float:
    return float(current_app.config["FACE_MATCH_THRESHOLD"])


@transactional
def verify_face(*, person_id: int, image: bytes, actor_id: int | None = None) -> dict:
    """1:1: is the face in the photo this enrolled person? ``{match, distance, threshold}``."""
    _require_engine()
    person = get_person(person_id)
    template = db.session.scalar(select(FaceTemplate).where(FaceTemplate.person_id == person.id))
    if template is None:
        raise NotEnrolled()
    started = time.perf_counter()
    dist = round(distance(_face_in(image).embedding, from_bytes(template.embedding)), 4)
    match = dist <= _threshold()
    _log(VERIFY, person_id=person.id, actor_id=actor_id, matched=match, dist=dist, started=started)
    return {"match": match, "distance": dist, "threshold": _threshold(), "person_id": person.id}


def _names(person_ids: list[int]) -> dict[int, str]:
    if not person_ids:
        return {}
    return dict(db.session.execute(select(Person.id, Person.name).where(Person.id.in_(person_ids))).all())


@transactional
def identify_face(*, image: bytes, actor_id: int | None = None) -> dict:
    """1:N: the enrolled people whose face is within the threshold of the photo's, best first."""
    _require_engine()
    started = time.perf_counter()
    probe = _face_in(image).embedding
    nearest = current_gallery().nearest(probe, threshold=_threshold(),
                                        limit=current_app.config["FACE_IDENTIFY_LIMIT"])
    names = _names([pid for pid, _ in nearest])
    candidates = [{"person_id": pid, "name": names.get(pid, ""), "distance": dist} for pid, dist in nearest]
    best = nearest[0] if nearest else (None, None)
    _log(IDENTIFY, person_id=best[0], actor_id=actor_id, matched=bool(nearest), dist=best[1], started=started)
    return {"candidates": candidates, "threshold": _threshold()}
