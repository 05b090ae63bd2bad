"""Real photographs of real faces for the biometrics tests, fetched from the package registry at test time.

The ``face_recognition`` source distribution (MIT) ships portrait photos in ``tests/test_images``:
three of Barack Obama and one of Joe Biden (official portraits). They are not committed here:
``pip download`` fetches the pinned sdist once into a cache folder (``SANGAM_TEST_CACHE``, default
``~/.cache/sangam-tests``), its SHA-256 is checked, and the photos are read straight from the
archive into memory.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

from PIL import Image

SDIST = "face_recognition-1.3.0.tar.gz"
SHA256 = "5e5efdd1686aa566af0d3cc1313b131e4b197657a8ffd03669e6d3fad92705ec"
PHOTOS = {"obama": "obama.jpg", "obama2": "obama2.jpg", "obama3": "obama3.jpg", "biden": "biden.jpg"}


def cache_dir() -> Path:
    return Path(os.environ.get("SANGAM_TEST_CACHE", Path.home() / ".cache" / "sangam-tests"))


def sdist_path() -> Path:
    """The verified sdist in the cache, downloaded with pip when missing."""
    folder = cache_dir()
    path = folder / SDIST
    if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != SHA256:
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                        "--dest", str(folder), "face-recognition==1.3.0"], check=True, capture_output=True,
                       timeout=300)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != SHA256:
        raise RuntimeError(f"{path} has SHA-256 {digest}, expected {SHA256}")
    return path


def load_photos() -> dict[str, bytes]:
    """The original JPEG bytes of each photo, by short name."""
    with tarfile.open(sdist_path()) as archive:
        return {name: archive.extractfile(f"face_recognition-1.3.0/tests/test_images/{file}").read()
                for name, file in PHOTOS.items()}


def shrunk(data: bytes, side: int = 640, quality: int = 85) -> bytes:
    """The same photo re-encoded smaller (the test app accepts uploads up to 256 KiB)."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    image.thumbnail((side, side))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def side_by_side(*photos: bytes, height: int = 480) -> bytes:
    """One JPEG showing several real portraits next to each other (a photo with several faces)."""
    images = [Image.open(io.BytesIO(p)).convert("RGB") for p in photos]
    images = [im.resize((im.width * height // im.height, height)) for im in images]
    canvas = Image.new("RGB", (sum(im.width for im in images), height), "white")
    x = 0
    for im in images:
        canvas.paste(im, (x, 0))
        x += im.width
    out = io.BytesIO()
    canvas.save(out, format="JPEG", quality=85)
    return out.getvalue()


def no_face(data: bytes) -> bytes:
    """The bottom of a portrait (suit and tie, no face) as a PNG."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    crop = image.crop((0, image.height * 3 // 4, image.width, image.height))
    crop.thumbnail((640, 640))
    out = io.BytesIO()
    crop.save(out, format="PNG")
    return out.getvalue()
