"""The ceiling of this stack: a minimal Flask app doing Sangam's hot transactions with raw SQL.

Served by the same gunicorn settings as Sangam (``gunicorn -c gunicorn.conf.py bench.ceiling:app``
with the same ``WEB_WORKERS``/``WEB_THREADS``), against the same PostgreSQL database. It is what a
request costs with no framework beyond Flask itself: it verifies the same JWT (PyJWT, same secret),
does the same rows' work in as few statements as the rules allow, and answers JSON of the same shape.
It keeps no other promise (no audit row, no events, no revocation check, no idempotency).

- ``POST /api/v1/bookings`` — one conditional ``UPDATE darshan_slots … WHERE booked + n <= capacity
  AND status = 'open' AND starts_at > now()`` + ``INSERT INTO bookings``;
- ``POST /api/v1/parking/reservations`` — claim the lowest free spot (``FOR UPDATE SKIP LOCKED``) +
  insert the reservation; ``…/reservations/<id>/release`` frees it (one statement), so clients can cycle;
- ``GET /api/v1/temples/<slug>/slots`` — the bytes Sangam answered, fetched once per worker from
  ``CEILING_SANGAM_URL`` and then served from memory (the best any cache can do).

Connections: a small LIFO pool per worker process (``CEILING_POOL``, default 8), opened lazily.
"""

from __future__ import annotations

import json
import os
import queue
import secrets
import threading
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime

import jwt
import psycopg
from flask import Flask, Response, request

DATABASE_URL = os.environ.get("DATABASE_URL", "").replace("postgresql+psycopg://", "postgresql://")
JWT_SECRET = os.environ.get("JWT_SECRET_KEY", "")
POOL_SIZE = int(os.environ.get("CEILING_POOL", "8"))
SANGAM_URL = os.environ.get("CEILING_SANGAM_URL", "")
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

BOOK = """
UPDATE darshan_slots s SET booked = s.booked + %(n)s
  FROM temples t
 WHERE s.id = %(slot)s AND t.id = s.temple_id AND s.booked + %(n)s <= s.capacity
   AND s.status = 'open' AND s.starts_at > now()
RETURNING s.id, s.starts_at, s.ends_at, s.capacity, s.booked, s.status, t.slug, t.code_prefix
"""
INSERT_BOOKING = """
INSERT INTO bookings (code, user_id, slot_id, party_size, visitors, status, created_at)
VALUES (%(code)s, %(user)s, %(slot)s, %(n)s, NULL, 'confirmed', now())
RETURNING id, created_at
"""
WHY_NOT = "SELECT status = 'open' AND starts_at > now(), capacity - booked FROM darshan_slots WHERE id = %s"
CLAIM = """
UPDATE parking_spots SET status = 'occupied'
 WHERE id = (SELECT id FROM parking_spots WHERE lot_id = %(lot)s AND status = 'free'
              ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED)
   AND status = 'free'
RETURNING id, number
"""
INSERT_RESERVATION = """
WITH r AS (
  INSERT INTO parking_reservations (user_id, lot_id, spot_id, spot_number, vehicle_number, status, price_per_hour,
                                    parked_at)
  SELECT %(user)s, l.id, %(spot)s, %(number)s, %(vehicle)s, 'active', l.price_per_hour, clock_timestamp()
    FROM parking_lots l WHERE l.id = %(lot)s
  RETURNING *)
SELECT r.id, r.lot_id, l.name, l.address, l.pin_code, r.spot_number, r.vehicle_number, r.status,
       r.price_per_hour, r.parked_at, r.left_at, r.hours, r.cost
  FROM r JOIN parking_lots l ON l.id = r.lot_id
"""
RELEASE = """
WITH r AS (
  UPDATE parking_reservations
     SET status = 'released', left_at = clock_timestamp(),
         hours = greatest(1, ceil(extract(epoch FROM clock_timestamp() - parked_at) / 3600))::int,
         cost = price_per_hour * greatest(1, ceil(extract(epoch FROM clock_timestamp() - parked_at) / 3600))
   WHERE id = %(id)s AND user_id = %(user)s AND status = 'active'
  RETURNING *),
freed AS (UPDATE parking_spots s SET status = 'free' FROM r WHERE s.id = r.spot_id)
SELECT r.id, r.lot_id, l.name, l.address, l.pin_code, r.spot_number, r.vehicle_number, r.status,
       r.price_per_hour, r.parked_at, r.left_at, r.hours, r.cost
  FROM r JOIN parking_lots l ON l.id = r.lot_id
"""
# Times are clock_timestamp(), not now() (the transaction's start): a claim that began before a release
# committed must not be stamped as parked before that release left.
RESERVATION_KEYS = ("id", "lot_id", "name", "address", "pin_code", "spot_number", "vehicle_number", "status",
                    "price_per_hour", "parked_at", "left_at", "hours", "cost")

app = Flask(__name__)


class Pool:
    """A few psycopg connections per worker process, reused LIFO; a broken one is replaced."""

    def __init__(self, size: int):
        self.idle: queue.LifoQueue = queue.LifoQueue()
        self.slots = threading.BoundedSemaphore(size)

    @contextmanager
    def connection(self):
        with self.slots:
            try:
                conn = self.idle.get_nowait()
            except queue.Empty:
                conn = psycopg.connect(DATABASE_URL)
            try:
                yield conn
            finally:
                if conn.broken or conn.closed:
                    conn.close()
                else:
                    self.idle.put(conn)


pool = Pool(POOL_SIZE)


def _json(body, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _error(status: int, name: str, error: str, message: str) -> Response:
    return _json({"code": status, "status": name, "error": error, "message": message}, status)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _user_id() -> int | None:
    """The user id of a valid access token (same secret and algorithm as flask-jwt-extended)."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    try:
        claims = jwt.decode(header[7:], JWT_SECRET, algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    return int(claims["sub"]) if claims.get("type") == "access" else None


def _unauthorized() -> Response:
    return _error(401, "Unauthorized", "unauthorized", "Authentication is required.")


@app.get("/health")
def health():
    return _json({"status": "ok"})


@app.post("/api/v1/bookings")
def book():
    user = _user_id()
    if user is None:
        return _unauthorized()
    data = request.get_json(silent=True) or {}
    slot_id, party = data.get("slot_id"), data.get("party_size")
    if not isinstance(slot_id, int) or not isinstance(party, int) or not 1 <= party <= 10:
        return _error(422, "Unprocessable Entity", "validation_failed", "slot_id and party_size (1-10) are required.")
    with pool.connection() as conn, conn.transaction():
        slot = conn.execute(BOOK, {"n": party, "slot": slot_id}).fetchone()
        if slot is None:
            why = conn.execute(WHY_NOT, (slot_id,)).fetchone()
            if why is None:
                return _error(404, "Not Found", "slot_not_found", "No such slot.")
            if not why[0]:
                return _error(409, "Conflict", "slot_closed", "This slot is closed.")
            return _error(409, "Conflict", "slot_full", f"Only {max(0, why[1])} seats are left in this slot.")
        code = slot[7] + "-" + "".join(secrets.choice(ALPHABET) for _ in range(6))
        booking_id, created_at = conn.execute(INSERT_BOOKING, {"code": code, "user": user, "slot": slot_id,
                                                               "n": party}).fetchone()
    sid, starts_at, ends_at, capacity, booked, status, slug, _prefix = slot
    bookable = status == "open" and starts_at > datetime.now(UTC)
    return _json({
        "id": booking_id, "code": code, "status": "confirmed", "party_size": party, "visitors": None,
        "slot": {"id": sid, "temple": slug, "starts_at": _iso(starts_at), "ends_at": _iso(ends_at),
                 "capacity": capacity, "booked": booked, "available": max(0, capacity - booked) if bookable else 0,
                 "status": "open" if bookable else "closed"},
        "created_at": _iso(created_at), "checked_in_at": None, "cancelled_at": None,
        "qr_url": f"/api/v1/bookings/{code}/qr.png", "ticket_url": f"/api/v1/bookings/{code}/ticket.pdf",
    }, 201)


def _reservation(row) -> dict:
    r = dict(zip(RESERVATION_KEYS, row, strict=True))
    return {"id": r["id"], "lot_id": r["lot_id"],
            "lot": {"id": r["lot_id"], "name": r["name"], "address": r["address"], "pin_code": r["pin_code"]},
            "spot_number": r["spot_number"], "vehicle_number": r["vehicle_number"], "status": r["status"],
            "price_per_hour": _money(r["price_per_hour"]), "parked_at": _iso(r["parked_at"]),
            "left_at": _iso(r["left_at"]), "hours": r["hours"], "cost": _money(r["cost"])}


@app.post("/api/v1/parking/reservations")
def reserve():
    user = _user_id()
    if user is None:
        return _unauthorized()
    data = request.get_json(silent=True) or {}
    lot_id, vehicle = data.get("lot_id"), data.get("vehicle_number")
    if not isinstance(lot_id, int) or not isinstance(vehicle, str) or not 1 <= len(vehicle) <= 16:
        return _error(422, "Unprocessable Entity", "validation_failed", "lot_id and vehicle_number are required.")
    try:
        with pool.connection() as conn, conn.transaction():
            spot = conn.execute(CLAIM, {"lot": lot_id}).fetchone()
            if spot is None:
                return _error(409, "Conflict", "lot_full", "This lot is full; try another lot.")
            row = conn.execute(INSERT_RESERVATION, {"user": user, "lot": lot_id, "spot": spot[0], "number": spot[1],
                                                    "vehicle": vehicle.upper()}).fetchone()
    except psycopg.errors.UniqueViolation:
        return _error(409, "Conflict", "already_active", "You already have an active reservation.")
    if row is None:
        return _error(404, "Not Found", "lot_not_found", "No such lot.")
    return _json(_reservation(row), 201)


@app.post("/api/v1/parking/reservations/<int:reservation_id>/release")
def release(reservation_id: int):
    user = _user_id()
    if user is None:
        return _unauthorized()
    with pool.connection() as conn, conn.transaction():
        row = conn.execute(RELEASE, {"id": reservation_id, "user": user}).fetchone()
    if row is None:
        return _error(409, "Conflict", "already_released", "This reservation is not active.")
    return _json(_reservation(row))


_pages: dict[str, bytes] = {}
_pages_lock = threading.Lock()


@app.get("/api/v1/temples/<slug>/slots")
def slots(slug: str):
    """Sangam's own answer for this URL, fetched once (per worker) and then served from memory."""
    path = request.full_path.rstrip("?")
    body = _pages.get(path)
    if body is None:
        with _pages_lock:
            body = _pages.get(path)
            if body is None:
                with urllib.request.urlopen(SANGAM_URL + path, timeout=10) as answer:
                    body = _pages[path] = answer.read()
    return Response(body, mimetype="application/json")
