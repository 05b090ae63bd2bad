"""Face biometrics with real photographs and dlib's real model (CR-1): consent, verify, identify, erase, stats."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from app.core.errors import ValidationFailed
from app.extensions import db
from app.visitors import service
from app.visitors.errors import BiometricsUnavailable, InvalidImage, NoFace, NotEnrolled, PersonNotFound, SeveralFaces
from app.visitors.faces.matching import Gallery, to_bytes
from app.visitors.models import BiometricLog, FaceTemplate
from tests.visitors import photos
from tests.visitors.conftest import START, TODAY, needs_biometrics


@pytest.fixture
def people():
    """Two recorded people: Barack (to be enrolled) and Joe."""
    barack = service.record_person(name="Barack Obama", phone="+1 202 555 0101")
    joe = service.record_person(name="Joe Biden", phone="+1 202 555 0102")
    return barack, joe


@pytest.fixture
def enrolled(people, face_photos, reception):
    barack, joe = people
    service.enrol_face(person_id=barack.id, image=face_photos["obama"], consent=True, actor_id=reception.id)
    service.enrol_face(person_id=joe.id, image=face_photos["biden"], consent=True, actor_id=reception.id)
    return barack, joe


@needs_biometrics
def test_enrolment_stores_only_the_embedding_with_consent(people, face_photos, reception):  # CR-1
    barack, _joe = people
    result = service.enrol_face(person_id=barack.id, image=face_photos["obama"], consent=True, actor_id=reception.id)
    assert result["enrolled"] is True and 0.5 < result["quality"] <= 1.0
    template = db.session.scalars(db.select(FaceTemplate)).one()
    assert len(template.embedding) == 512 and template.model == "dlib_resnet_v1"
    assert template.consent_at == result["consent_at"] and template.consent_recorded_by_id == reception.id
    vector = np.frombuffer(template.embedding, dtype="<f4")
    assert vector.shape == (128,) and 0.2 < float(np.linalg.norm(vector)) < 2.0


@needs_biometrics
def test_no_consent_no_enrolment(people, face_photos):
    with pytest.raises(ValidationFailed) as excinfo:
        service.enrol_face(person_id=people[0].id, image=face_photos["obama"], consent=False)
    assert "consent" in excinfo.value.errors
    assert db.session.scalar(db.select(db.func.count()).select_from(FaceTemplate)) == 0


@needs_biometrics
def test_same_person_matches_a_different_photo_and_another_person_does_not(enrolled, face_photos):  # CR-1
    barack, joe = enrolled
    same = service.verify_face(person_id=barack.id, image=face_photos["obama2"])
    other = service.verify_face(person_id=joe.id, image=face_photos["obama3"])
    assert same["match"] is True and same["distance"] < 0.5 and same["threshold"] == 0.6
    assert other["match"] is False and other["distance"] > 0.7


@needs_biometrics
def test_identify_ranks_the_enrolled_person_first(enrolled, face_photos, app, monkeypatch):  # CR-1
    barack, joe = enrolled
    result = service.identify_face(image=face_photos["obama3"])
    assert [c["person_id"] for c in result["candidates"]] == [barack.id]
    assert result["candidates"][0]["name"] == "Barack Obama" and result["candidates"][0]["distance"] < 0.5
    monkeypatch.setitem(app.config, "FACE_MATCH_THRESHOLD", 0.95)  # loose enough to admit both, best first
    loose = service.identify_face(image=face_photos["obama2"])["candidates"]
    assert [c["person_id"] for c in loose] == [barack.id, joe.id]
    assert loose[0]["distance"] < loose[1]["distance"]


@needs_biometrics
def test_identify_with_nobody_close_returns_no_candidates(people, face_photos):
    service.enrol_face(person_id=people[1].id, image=face_photos["biden"], consent=True)
    assert service.identify_face(image=face_photos["obama"])["candidates"] == []


@needs_biometrics
def test_photos_without_one_face_are_refused(people, face_photos):
    barack = people[0]
    with pytest.raises(NoFace):
        service.enrol_face(person_id=barack.id, image=photos.no_face(face_photos["obama"]), consent=True)
    with pytest.raises(SeveralFaces) as several:
        service.enrol_face(person_id=barack.id, image=photos.side_by_side(face_photos["obama"], face_photos["biden"]),
                           consent=True)
    assert several.value.error == "several_faces" and "2 faces" in several.value.message
    for junk in (b"", b"%PDF-1.4 not a photo", b"\x89PNG\r\n\x1a\n truncated"):
        with pytest.raises(InvalidImage):
            service.enrol_face(person_id=barack.id, image=junk, consent=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(FaceTemplate)) == 0


@needs_biometrics
def test_verify_needs_an_enrolled_person(people, face_photos):
    with pytest.raises(NotEnrolled):
        service.verify_face(person_id=people[0].id, image=face_photos["obama"])


@needs_biometrics
def test_withdrawing_consent_erases_the_template_and_identify_forgets_them(enrolled, face_photos, reception):
    barack, _joe = enrolled
    assert service.identify_face(image=face_photos["obama2"])["candidates"]
    assert service.erase_face(actor=reception, person_id=barack.id) is True
    assert db.session.scalar(db.select(FaceTemplate).where(FaceTemplate.person_id == barack.id)) is None
    assert service.identify_face(image=face_photos["obama2"])["candidates"] == []
    assert service.erase_face(actor=reception, person_id=barack.id) is False  # nothing left to erase
    with pytest.raises(NotEnrolled):
        service.verify_face(person_id=barack.id, image=face_photos["obama2"])


def test_the_person_themselves_may_erase_others_may_not(make_user, reception):
    own = make_user("user", email="volunteer@example.in")
    person = service.record_person(name="Asha Volunteer", phone="+91 90000 11111", email="Volunteer@example.in")
    assert person.user_id == own.id
    assert service.erase_face(actor=own, person_id=person.id) is False
    with pytest.raises(PersonNotFound):
        service.erase_face(actor=make_user("user"), person_id=person.id)


def test_biometrics_switched_off_is_503_but_erasure_still_works(app, monkeypatch, reception):
    person = service.record_person(name="Asha Volunteer", phone="+91 90000 11111")
    monkeypatch.setitem(app.config, "FACE_BIOMETRICS_ENABLED", False)
    for call in (lambda: service.enrol_face(person_id=person.id, image=b"x", consent=True),
                 lambda: service.verify_face(person_id=person.id, image=b"x"),
                 lambda: service.identify_face(image=b"x")):
        with pytest.raises(BiometricsUnavailable) as excinfo:
            call()
        assert excinfo.value.status == 503 and "FACE_BIOMETRICS_ENABLED" in excinfo.value.message
    assert service.erase_face(actor=reception, person_id=person.id) is False


@needs_biometrics
def test_statistics_count_checks_per_day_match_rate_and_latency(enrolled, face_photos, frozen_clock):  # CR-1
    barack, joe = enrolled
    service.verify_face(person_id=barack.id, image=face_photos["obama2"])  # match
    frozen_clock.move_to(START + timedelta(days=1))
    service.verify_face(person_id=joe.id, image=face_photos["obama2"])  # no match
    service.identify_face(image=face_photos["obama3"])  # match
    stats = service.biometric_stats(date_from=TODAY, date_to=TODAY + timedelta(days=1))
    assert stats["enrolled"] == 2
    assert stats["days"] == [{"date": TODAY, "verifications": 1, "identifications": 0},
                             {"date": TODAY + timedelta(days=1), "verifications": 1, "identifications": 1}]
    assert (stats["verifications"], stats["identifications"], stats["matches"]) == (2, 1, 2)
    assert stats["match_rate"] == pytest.approx(0.667, abs=0.001)
    assert stats["mean_latency_ms"] > 0 and stats["available"] is True
    kinds = sorted(db.session.scalars(db.select(BiometricLog.kind)))
    assert kinds == ["enrol", "enrol", "identify", "verify", "verify"]


def test_statistics_period_is_checked():
    with pytest.raises(ValidationFailed):
        service.biometric_stats(date_from=date(2026, 3, 10), date_to=date(2026, 3, 9))
    stats = service.biometric_stats()
    assert len(stats["days"]) == 7 and stats["match_rate"] is None and stats["enrolled"] == 0


def test_gallery_ranks_best_first_within_the_threshold():
    rng = np.random.default_rng(7)
    matrix = rng.normal(0, 0.09, size=(1000, 128)).astype(np.float32)
    probe = matrix[321] + rng.normal(0, 0.01, size=128).astype(np.float32)
    gallery = Gallery.from_blobs((1000 + i, to_bytes(row)) for i, row in enumerate(matrix))
    exact = np.linalg.norm(matrix - probe, axis=1)
    assert np.allclose(gallery.distances(probe), exact, atol=1e-4)
    best = gallery.nearest(probe, threshold=float(np.sort(exact)[3]) + 1e-6, limit=3)
    assert [pid for pid, _ in best] == [1000 + int(i) for i in np.argsort(exact)[:3]]
    assert best[0][0] == 1321 and Gallery.from_blobs([]).nearest(probe, threshold=1.0, limit=5) == []
