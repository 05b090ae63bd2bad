"""dlib's face detector and ResNet face encoder (128-d embeddings, 99.38 % on LFW), loaded offline.

The models come from the optional biometrics extra (``requirements-biometrics.txt``): ``dlib-bin``
(the library, a prebuilt wheel) and ``face-recognition-models`` (the model files, shipped inside
the package). Nothing is ever downloaded at run time; where either is missing, ``available()``
says why and the API answers 503 ``biometrics_unavailable``.

dlib's network keeps per-call buffers, so one encoder must not serve two threads at once: each
thread (gunicorn's gthread workers, Celery threads) loads its own copy on first use (~30 MB).
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.visitors.errors import NoFace, SeveralFaces

MODEL_NAME = "dlib_resnet_v1"
ENCODER_FILE = "dlib_face_recognition_resnet_model_v1.dat"
LANDMARKS_FILE = "shape_predictor_5_face_landmarks.dat"
_local = threading.local()


@dataclass(frozen=True)
class Face:
    """The one face found in a photo: its embedding, how sure the detector was, and its size."""

    embedding: np.ndarray  # float32, shape (128,)
    quality: float  # 0..1, see face_quality
    score: float
    size_px: int


def models_dir() -> Path | None:
    """The folder holding the model files of ``face-recognition-models`` (found without importing it)."""
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def unavailable_reason() -> str | None:
    """Why faces cannot be processed here (None when they can)."""
    if importlib.util.find_spec("dlib") is None:
        return "the dlib library is not installed (pip install -r requirements-biometrics.txt)"
    folder = models_dir()
    if folder is None or not all((folder / name).is_file() for name in (ENCODER_FILE, LANDMARKS_FILE)):
        return "the face-recognition-models package is not installed (pip install -r requirements-biometrics.txt)"
    return None


def _models():
    """This thread's detector, landmark predictor and encoder (loaded once per thread)."""
    loaded = getattr(_local, "models", None)
    if loaded is None:
        import dlib

        folder = models_dir()
        loaded = (dlib.get_frontal_face_detector(), dlib.shape_predictor(str(folder / LANDMARKS_FILE)),
                  dlib.face_recognition_model_v1(str(folder / ENCODER_FILE)))
        _local.models = loaded
    return loaded


def face_quality(score: float, size_px: int) -> float:
    """Detector confidence (≥ 2 counts as full) times face size (≥ 150 px counts as full), in 0..1."""
    return round(max(0.0, min(1.0, score / 2.0)) * min(1.0, size_px / 150.0), 2)


def find_one_face(rgb: np.ndarray, *, upsample: int = 0) -> Face:
    """Detect exactly one face and embed it; 422 no_face / several_faces otherwise."""
    detector, landmarks, encoder = _models()
    boxes, scores, _kinds = detector.run(rgb, upsample, 0.0)
    if not boxes:
        raise NoFace()
    if len(boxes) > 1:
        raise SeveralFaces(f"{len(boxes)} faces are in the image: take a photo of one person alone.")
    box = boxes[0]
    shape = landmarks(rgb, box)
    vector = np.asarray(encoder.compute_face_descriptor(rgb, shape), dtype=np.float32)
    size = int(min(box.width(), box.height()))
    return Face(embedding=vector, quality=face_quality(float(scores[0]), size), score=float(scores[0]), size_px=size)
