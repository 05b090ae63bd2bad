"""Face identification (CR-1) against 10 000 enrolled embeddings: target < 50 ms.

In-process against PostgreSQL (the benchmark database): 10 000 people with 128-d templates are
inserted, then the identify path is timed in three parts:

* matching alone: one probe against the in-memory gallery (numpy, vectorised), best first;
* the service path without the camera work: gallery revision check + matching + candidate names,
  i.e. what ``identify_face`` adds to detection and embedding;
* the gallery's cold load from the database (once per process and per enrolment elsewhere);
* where the biometrics extra is installed, a whole ``identify_face`` with a real photograph
  (decode, dlib detection and ResNet embedding included), for scale.
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np

from bench.server import DATABASE_URL, REDIS_URL, report, reset_database

ENROLLED = 10_000
RUNS = 300
TARGET_MS = 50.0


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return round(statistics.median(ordered), 3), round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 3)


def _timed(fn, runs: int = RUNS) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000.0)
    return _percentiles(samples)


def _app():
    os.environ.update({"DATABASE_URL": DATABASE_URL, "REDIS_URL": REDIS_URL, "LOG_LEVEL": "WARNING",
                       "SECRET_KEY": "benchmark-secret-key-0001", "JWT_SECRET_KEY": "benchmark-secret-key-0002"})
    from flask_migrate import upgrade

    from app import create_app

    reset_database()
    application = create_app({"LOG_REQUESTS": False})
    with application.app_context():
        upgrade()
    return application


def _enrol(rng: np.random.Generator) -> np.ndarray:
    """Insert ENROLLED people and templates in bulk; return the embeddings (dlib-like scale: norm ≈ 1)."""
    from sqlalchemy import insert

    from app.core.timeutil import utcnow
    from app.extensions import db
    from app.visitors.faces.matching import to_bytes
    from app.visitors.models import FaceTemplate, Person
    from app.visitors.service.gallery import bump_revision

    embeddings = rng.normal(0.0, 0.09, size=(ENROLLED, 128)).astype(np.float32)
    now = utcnow()
    db.session.execute(insert(Person), [{"id": i + 1, "name": f"Enrolled {i + 1}", "phone": f"+9190{i:08d}",
                                         "created_at": now} for i in range(ENROLLED)])
    db.session.execute(insert(FaceTemplate), [{"person_id": i + 1, "embedding": to_bytes(e), "model": "bench",
                                               "quality": 1.0, "consent_at": now, "enrolled_at": now}
                                              for i, e in enumerate(embeddings)])
    bump_revision()
    db.session.commit()
    return embeddings


def _service_path(probe: np.ndarray) -> list[dict]:
    from flask import current_app

    from app.visitors.service.biometrics import _names
    from app.visitors.service.gallery import current_gallery

    nearest = current_gallery().nearest(probe, threshold=current_app.config["FACE_MATCH_THRESHOLD"], limit=5)
    names = _names([pid for pid, _ in nearest])
    return [{"person_id": pid, "name": names[pid], "distance": d} for pid, d in nearest]


def _with_photo(figures: dict) -> None:
    from app.visitors import service

    reason = service.unavailable_reason()
    if reason:
        figures["full identify with a photo"] = f"skipped: {reason}"
        return
    from tests.visitors.photos import load_photos

    photo = load_photos()["obama2"]
    service.identify_face(image=photo)  # this thread loads the dlib models once
    p50, p99 = _timed(lambda: service.identify_face(image=photo), 10)
    figures["full identify_face p50 / p99 ms"] = f"{p50} / {p99}"


def main() -> dict:
    rng = np.random.default_rng(2026)
    application = _app()
    with application.app_context():
        from app.visitors.service import gallery

        embeddings = _enrol(rng)
        probe = embeddings[4321] + rng.normal(0.0, 0.02, size=128).astype(np.float32)
        cold_started = time.perf_counter()
        warm = gallery.current_gallery()
        cold_ms = round((time.perf_counter() - cold_started) * 1000.0, 1)
        match_p50, match_p99 = _timed(lambda: warm.nearest(probe, threshold=0.6, limit=5))
        path_p50, path_p99 = _timed(lambda: _service_path(probe))
        best = _service_path(probe)[0]
        figures = {
            "enrolled embeddings": ENROLLED,
            "matching p50 / p99 ms": f"{match_p50} / {match_p99}",
            "service path p50 / p99 ms": f"{path_p50} / {path_p99}",
            "gallery cold load ms": cold_ms,
            "target ms": TARGET_MS,
            "ratio p50 / target": round(path_p50 / TARGET_MS, 3),
            "ratio p99 / target": round(path_p99 / TARGET_MS, 3),
            "machine load (1 min)": round(os.getloadavg()[0], 2),
            "best candidate": f"{best['name']} at {best['distance']}",
        }
        _with_photo(figures)
    report(f"visitors: identify against {ENROLLED} enrolled faces (numpy, PostgreSQL)", figures)
    assert best["person_id"] == 4322, best
    # The median is the verdict: on a shared two-core machine the p99 mostly measures the neighbours (see load).
    assert path_p50 < TARGET_MS, f"identify p50 {path_p50} ms is over the {TARGET_MS} ms target"
    return figures


if __name__ == "__main__":
    main()
