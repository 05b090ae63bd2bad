"""No photo is ever written to the database or the disk (CR-1): only the 512-byte embedding is kept."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import LargeBinary, String, Text, select

from app.extensions import db
from app.visitors import service
from app.visitors.errors import InvalidImage
from tests.visitors.conftest import needs_biometrics

IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"RIFF", b"GIF8")


def stored_blobs() -> list[tuple[str, int]]:
    """(table.column, size) of every binary or text value in every table that could hold an image."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (LargeBinary, String, Text))]
        for column in columns:
            for value in db.session.scalars(select(column).where(column.is_not(None))):
                raw = value if isinstance(value, bytes) else str(value).encode()
                found.append((f"{table.name}.{column.name}", raw))
    return found


def files_under(*folders) -> set[str]:
    return {str(p) for folder in folders if Path(folder).exists() for p in Path(folder).rglob("*") if p.is_file()}


def watched_folders(app) -> list[str]:
    """The app's own folders: instance (uploads would land here) and exports."""
    return [os.environ["SANGAM_INSTANCE_DIR"], app.config["EXPORT_DIR"]]


def assert_no_image_stored(photo: bytes) -> None:
    for where, raw in stored_blobs():
        assert not raw.startswith(IMAGE_MAGIC), f"an image is stored in {where}"
        assert photo[:4096] not in raw, f"the photo is stored in {where}"
        if where == "visitors_face_templates.embedding":
            assert len(raw) == 512


@needs_biometrics
def test_enrol_verify_identify_keep_only_the_embedding(app, face_photos, reception):
    before = files_under(*watched_folders(app))
    person = service.record_person(name="Barack Obama", phone="+1 202 555 0101")
    service.enrol_face(person_id=person.id, image=face_photos["obama"], consent=True, actor_id=reception.id)
    service.verify_face(person_id=person.id, image=face_photos["obama2"])
    service.identify_face(image=face_photos["obama3"])
    with pytest.raises(InvalidImage):  # a refused photo is not kept either
        service.enrol_face(person_id=person.id, image=b"\xff\xd8\xff not really a jpeg", consent=True)
    for name in ("obama", "obama2", "obama3"):
        assert_no_image_stored(face_photos[name])
    assert files_under(*watched_folders(app)) - before == set()
