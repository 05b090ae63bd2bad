"""Face biometrics over HTTP (CR-1): multipart uploads, consent, 422 no_face/several_faces, 503, no temp files."""

from __future__ import annotations

import io
import tempfile

import pytest
from werkzeug.formparser import default_stream_factory

from app.extensions import db
from app.visitors.models import FaceTemplate
from tests.conftest import assert_error, bearer
from tests.visitors import photos
from tests.visitors.conftest import needs_biometrics

PEOPLE = "/api/v1/visitors/people"


def upload(data: bytes, name: str = "photo.jpg", **form) -> dict:
    return {"image": (io.BytesIO(data), name), **form}


@pytest.fixture
def desk(reception):
    return bearer(reception)


@pytest.fixture
def person(client, desk):
    def _make(name: str, phone: str) -> int:
        r = client.post(PEOPLE, json={"name": name, "phone": phone}, headers=desk)
        assert r.status_code == 201, r.get_json()
        return r.get_json()["id"]

    return _make


def enrol(client, headers, person_id: int, photo: bytes, consent: str = "true"):
    return client.post(f"{PEOPLE}/{person_id}/face", data=upload(photo, consent=consent), headers=headers,
                       content_type="multipart/form-data")


@pytest.fixture
def temp_files(monkeypatch):
    """Every temporary file opened while the test runs (the library functions spied on, not replaced)."""
    opened = []
    for name in ("TemporaryFile", "NamedTemporaryFile", "mkstemp"):
        real = getattr(tempfile, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            opened.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(tempfile, name, spy)
    return opened


def test_the_temp_file_spy_sees_werkzeugs_spill(temp_files):
    stream = default_stream_factory(total_content_length=600 * 1024, content_type="image/jpeg", filename="x.jpg")
    stream.write(b"\0" * (600 * 1024))
    stream.close()
    assert temp_files  # the spy works: a large upload would normally land in a temporary file


@needs_biometrics
def test_enrol_verify_identify_over_http_without_temp_files(client, desk, person, face_photos, temp_files):  # CR-1
    barack, joe = person("Barack Obama", "+1 202 555 0101"), person("Joe Biden", "+1 202 555 0102")
    big = face_photos["obama3"]  # 596 KB: above Werkzeug's 500 KB in-memory limit and the API's 256 KiB
    assert len(big) > 512 * 1024
    r = enrol(client, desk, barack, big)
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["enrolled"] is True and 0 < r.get_json()["quality"] <= 1
    assert enrol(client, desk, joe, face_photos["biden"]).status_code == 201
    r = client.post("/api/v1/visitors/face/verify", data=upload(face_photos["obama2"], person_id=str(barack)),
                    headers=desk, content_type="multipart/form-data")
    assert r.status_code == 200 and r.get_json()["match"] is True and r.get_json()["threshold"] == 0.6
    r = client.post("/api/v1/visitors/face/verify", data=upload(face_photos["obama2"], person_id=str(joe)),
                    headers=desk, content_type="multipart/form-data")
    assert r.get_json()["match"] is False and r.get_json()["distance"] > 0.6
    r = client.post("/api/v1/visitors/face/identify", data=upload(face_photos["obama"]), headers=desk,
                    content_type="multipart/form-data")
    [best] = r.get_json()["candidates"]
    assert (best["person_id"], best["name"]) == (barack, "Barack Obama") and best["distance"] < 0.6
    assert temp_files == []


@needs_biometrics
def test_photo_problems_are_422_with_their_codes(client, desk, person, face_photos):
    someone = person("Barack Obama", "+1 202 555 0101")
    assert_error(enrol(client, desk, someone, photos.no_face(face_photos["obama"])), 422, "no_face")
    group = photos.side_by_side(photos.shrunk(face_photos["obama"]), photos.shrunk(face_photos["biden"]))
    assert_error(enrol(client, desk, someone, group), 422, "several_faces")
    body = assert_error(enrol(client, desk, someone, b"just some text"), 422, "validation_error")
    assert "image" in body["errors"]
    assert "consent" in assert_error(enrol(client, desk, someone, face_photos["obama"], consent="false"),
                                     422)["errors"]
    r = client.post(f"{PEOPLE}/{someone}/face", data={"consent": "true"}, headers=desk,
                    content_type="multipart/form-data")
    assert "image" in assert_error(r, 422, "validation_error")["errors"]
    assert_error(client.post(f"{PEOPLE}/{someone}/face", json={"consent": True}, headers=desk), 422)
    assert db.session.scalar(db.select(db.func.count()).select_from(FaceTemplate)) == 0


@needs_biometrics
def test_uploads_over_the_face_limit_are_413(client, desk, person, face_photos, app, monkeypatch):
    monkeypatch.setitem(app.config, "FACE_MAX_UPLOAD_BYTES", 100 * 1024)
    assert_error(enrol(client, desk, person("Big Photo", "+91 90000 22222"), face_photos["obama3"]), 413)


def test_verify_and_erase_rules(client, desk, person, make_user, app):
    someone = person("Asha Volunteer", "+91 90000 11111")
    assert_error(client.delete(f"{PEOPLE}/{someone}/face", headers=bearer(make_user("user"))), 404)
    assert client.delete(f"{PEOPLE}/{someone}/face", headers=desk).status_code == 204
    assert_error(client.delete(f"{PEOPLE}/4242/face", headers=desk), 404)


def test_biometrics_off_is_503(client, desk, person, app, monkeypatch):
    monkeypatch.setitem(app.config, "FACE_BIOMETRICS_ENABLED", False)
    someone = person("Asha Volunteer", "+91 90000 11111")
    body = assert_error(enrol(client, desk, someone, b"\xff\xd8\xff"), 503, "biometrics_unavailable")
    assert "FACE_BIOMETRICS_ENABLED" in body["message"]
    r = client.post("/api/v1/visitors/face/identify", data=upload(b"\xff\xd8\xff"), headers=desk,
                    content_type="multipart/form-data")
    assert_error(r, 503, "biometrics_unavailable")


def test_face_endpoints_are_for_reception_and_stats_for_admins(client, host, person, desk, make_user):
    someone = person("Asha Volunteer", "+91 90000 11111")
    assert_error(enrol(client, bearer(host), someone, b"x"), 403)
    assert_error(client.get("/api/v1/visitors/biometrics/stats", headers=desk), 403)
    stats = client.get("/api/v1/visitors/biometrics/stats?date_from=2026-03-03&date_to=2026-03-09",
                       headers=bearer(make_user("admin"))).get_json()
    assert stats["enrolled"] == 0 and len(stats["days"]) == 7 and stats["match_rate"] is None
    assert stats["days"][-1] == {"date": "2026-03-09", "verifications": 0, "identifications": 0}
