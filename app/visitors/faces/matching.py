"""Compare 128-d face embeddings: Euclidean distance, smaller is more alike.

dlib's encoder was trained so that two photos of one person lie closer than 0.6 (its authors'
threshold, 99.38 % on LFW); ``FACE_MATCH_THRESHOLD`` moves it. Identification compares a probe
with every enrolled embedding in one vectorised numpy expression, then ranks only the few that
fall within the threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DIMENSIONS = 128


def to_bytes(embedding: np.ndarray) -> bytes:
    """Serialise an embedding as 512 bytes (little-endian float32)."""
    vector = np.asarray(embedding, dtype="<f4").reshape(DIMENSIONS)
    return vector.tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    """Read an embedding written by ``to_bytes``."""
    return np.frombuffer(blob, dtype="<f4", count=DIMENSIONS).astype(np.float32)


def distance(a: np.ndarray, b: np.ndarray) -> float:
    """Euclidean distance between two embeddings."""
    return float(np.linalg.norm(np.asarray(a, np.float32) - np.asarray(b, np.float32)))


@dataclass(frozen=True)
class Gallery:
    """Every enrolled embedding as one (n, 128) float32 matrix, with the person id of each row."""

    person_ids: np.ndarray  # int64, shape (n,)
    matrix: np.ndarray  # float32, shape (n, 128)
    squared_norms: np.ndarray  # float32, shape (n,)

    @classmethod
    def build(cls, person_ids, matrix) -> Gallery:
        matrix = np.ascontiguousarray(matrix, dtype=np.float32).reshape(-1, DIMENSIONS)
        return cls(np.asarray(person_ids, dtype=np.int64), matrix, np.einsum("ij,ij->i", matrix, matrix))

    @classmethod
    def from_blobs(cls, rows) -> Gallery:
        """Build from ``(person_id, embedding bytes)`` pairs."""
        rows = list(rows)
        ids = [person_id for person_id, _ in rows]
        blob = b"".join(embedding for _, embedding in rows)
        return cls.build(ids, np.frombuffer(blob, dtype="<f4").reshape(-1, DIMENSIONS) if rows else [])

    def __len__(self) -> int:
        return len(self.person_ids)

    def distances(self, probe: np.ndarray) -> np.ndarray:
        """Distance from the probe to every row: sqrt(|g|² + |p|² − 2 g·p), one matrix-vector product."""
        probe = np.asarray(probe, dtype=np.float32).reshape(DIMENSIONS)
        squared = self.squared_norms + np.float32(probe @ probe) - 2.0 * (self.matrix @ probe)
        return np.sqrt(np.maximum(squared, 0.0))

    def nearest(self, probe: np.ndarray, *, threshold: float, limit: int) -> list[tuple[int, float]]:
        """Up to ``limit`` (person_id, distance) pairs within ``threshold``, best first."""
        if not len(self):
            return []
        dist = self.distances(probe)
        within = np.flatnonzero(dist <= threshold)
        if within.size > limit:
            within = within[np.argpartition(dist[within], limit - 1)[:limit]]
        ranked = within[np.argsort(dist[within], kind="stable")]
        return [(int(self.person_ids[i]), round(float(dist[i]), 4)) for i in ranked]
