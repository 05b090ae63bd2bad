"""Where a release's queue lives while it is live: Redis in production, the process in embedded mode.

Both stores keep the same things, and every step that must be atomic is one step (a Lua script in
Redis, one lock in the process): a release's state and per-person limit, its arrival counter, the
waiting tickets ordered by arrival number, the tickets taken by the admitter but not yet resolved
(``inflight``), the place each person holds (``u:<user id>``, ``p:<phone>`` → ticket), how many
bookings each person got through the queue, the slots known to be full, the admitter's lease and
the "an admitter has been asked for" flag. A ticket is a flat dict of strings (see ``TICKET_FIELDS``).
The database stays the record: admissions are rows, this is only the hot, shared working set.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import redis
from flask import current_app

PREFIX = "sangam:queue:"
_SCRIPTS = Path(__file__).with_name("queue_store.lua").read_text().split("-- @script ")
LUA = {part.split("\n", 1)[0].strip(): part.split("\n", 1)[1] for part in _SCRIPTS if part.strip()}
TICKET_FIELDS = ("id", "token", "release_id", "number", "user_id", "phone_key", "slot_id", "party_size", "visitors",
                 "enqueued_at", "status", "error", "message", "booking_id", "booking_code", "resolved_at")


def queue_store():
    """The app's queue store, chosen by ``RELEASE_QUEUE_URL`` (``memory://`` or a redis:// URL)."""
    store = current_app.extensions.get("temples.queue_store")
    if store is None:
        url = current_app.config.get("RELEASE_QUEUE_URL") or "memory://"
        store = MemoryQueueStore() if url.startswith("memory://") else RedisQueueStore(url)
        current_app.extensions["temples.queue_store"] = store
    return store


def _pairs(flat: list) -> dict:
    return {flat[i]: flat[i + 1] for i in range(0, len(flat), 2)}


class RedisQueueStore:
    """The queue in Redis: every multi-key step is one Lua script, so concurrent web processes agree."""

    def __init__(self, url: str):
        self.redis = redis.Redis.from_url(url, decode_responses=True, socket_timeout=5, socket_connect_timeout=2)
        self.scripts = {name: self.redis.register_script(source) for name, source in LUA.items()}

    def _r(self, release_id) -> str:
        return f"{PREFIX}r:{release_id}"

    def _keys(self, release_id) -> list[str]:
        base = self._r(release_id)
        return [base, f"{base}:seq", f"{base}:wait", f"{base}:inflight", f"{base}:people", f"{base}:counts",
                f"{base}:full"]

    def open(self, release_id: int, *, limit: int) -> None:
        self.scripts["open"](keys=[self._r(release_id)], args=[limit])

    def state(self, release_id: int) -> str | None:
        return self.redis.hget(self._r(release_id), "state")

    def enqueue(self, release_id: int, ticket: dict, *, people: list[str], check_limit: bool, ttl: int) -> list:
        fields = [x for k, v in ticket.items() for x in (k, "" if v is None else str(v))]
        return self.scripts["enqueue"](keys=[*self._keys(release_id), f"{PREFIX}t:{ticket['id']}"],
                                       args=[ticket["id"], ticket["slot_id"], int(check_limit), ttl, len(people),
                                             *people, *fields])

    def take(self, release_id: int, count: int) -> list[dict]:
        rows = self.scripts["take"](keys=self._keys(release_id), args=[count, f"{PREFIX}t:"])
        return [_pairs(row) for row in rows]

    def inflight(self, release_id: int) -> list[dict]:
        ids = self.redis.zrange(f"{self._r(release_id)}:inflight", 0, -1)
        return [t for t in (self.ticket(i) for i in ids) if t]

    def requeue(self, release_id: int, tickets: list[dict]) -> None:
        base, pipe = self._r(release_id), self.redis.pipeline()
        for t in tickets:
            pipe.zrem(f"{base}:inflight", t["id"])
            pipe.zadd(f"{base}:wait", {t["id"]: int(t["number"])})
            pipe.hset(f"{PREFIX}t:{t['id']}", "status", "waiting")
        pipe.execute()

    def resolve(self, release_id: int, outcomes: list[dict], *, ttl: int) -> None:
        base, pipe = self._r(release_id), self.redis.pipeline()
        for o in outcomes:
            key = f"{PREFIX}t:{o['id']}"
            pipe.hset(key, mapping={k: "" if v is None else str(v) for k, v in o.items() if k != "people"})
            pipe.expire(key, ttl)
            pipe.zrem(f"{base}:inflight", o["id"])
            for person in o["people"]:
                pipe.hdel(f"{base}:people", person)
                if o["status"] == "admitted":
                    pipe.hincrby(f"{base}:counts", person, 1)
        pipe.execute()

    def end(self, release_id: int, state: str, *, ttl: int) -> list[dict]:
        ids = self.scripts["end"](keys=self._keys(release_id), args=[state, ttl, f"{PREFIX}t:"])
        pipe = self.redis.pipeline()
        for tid in ids:
            pipe.hgetall(f"{PREFIX}t:{tid}")
        return [t for t in pipe.execute() if t]

    def ticket(self, ticket_id: str) -> dict | None:
        return self.redis.hgetall(f"{PREFIX}t:{ticket_id}") or None

    def view(self, ticket_id: str) -> dict | None:
        row = self.scripts["view"](keys=[f"{PREFIX}t:{ticket_id}"], args=[PREFIX])
        return _pairs(row) if row else None

    def waiting(self, release_id: int) -> int:
        return self.redis.zcard(f"{self._r(release_id)}:wait")

    def note_progress(self, release_id: int, *, rate: float, seats_left: int, full: list[int]) -> None:
        base, pipe = self._r(release_id), self.redis.pipeline()
        pipe.hset(base, mapping={"rate": f"{rate:.3f}", "seats_left": seats_left})
        pipe.delete(f"{base}:full")
        if full:
            pipe.sadd(f"{base}:full", *full)
        pipe.execute()

    def unmark_full(self, release_id: int, slot_id: int) -> None:
        self.redis.srem(f"{self._r(release_id)}:full", slot_id)

    def lease(self, release_id: int, owner: str, seconds: float) -> bool:
        return bool(self.scripts["lease"](keys=[f"{self._r(release_id)}:lease"], args=[owner, int(seconds * 1000)]))

    def drop_lease(self, release_id: int, owner: str) -> None:
        self.scripts["unlease"](keys=[f"{self._r(release_id)}:lease"], args=[owner])

    def claim_kick(self, release_id: int, seconds: int) -> bool:
        return bool(self.redis.set(f"{self._r(release_id)}:kick", "1", nx=True, ex=seconds))

    def drop_kick(self, release_id: int) -> None:
        self.redis.delete(f"{self._r(release_id)}:kick")

    def clear(self) -> None:
        """Forget every queue (tests)."""
        for key in self.redis.scan_iter(f"{PREFIX}*", count=1000):
            self.redis.delete(key)


class _Release:
    def __init__(self):
        self.meta: dict = {}
        self.seq = 0
        self.wait: dict[str, int] = {}
        self.inflight: dict[str, int] = {}
        self.people: dict[str, str] = {}
        self.counts: dict[str, int] = {}
        self.full: set[str] = set()
        self.lease: tuple[str, float] | None = None
        self.kick_until = 0.0


class MemoryQueueStore:
    """The same queue in this process (embedded mode: one process, no Redis); one lock makes each step atomic."""

    def __init__(self):
        self.lock = threading.RLock()
        self.releases: dict[int, _Release] = {}
        self.tickets: dict[str, dict] = {}

    def _rel(self, release_id) -> _Release:
        return self.releases.setdefault(int(release_id), _Release())

    def open(self, release_id: int, *, limit: int) -> None:
        with self.lock:
            meta = self._rel(release_id).meta
            meta.setdefault("state", "open")
            meta["limit"] = str(limit)

    def state(self, release_id: int) -> str | None:
        with self.lock:
            rel = self.releases.get(int(release_id))
            return rel.meta.get("state") if rel else None

    def _rank(self, rel: _Release, ticket_id: str) -> int:
        number = rel.wait[ticket_id]
        return sum(1 for n in rel.wait.values() if n < number) + 1

    def enqueue(self, release_id: int, ticket: dict, *, people: list[str], check_limit: bool, ttl: int) -> list:
        with self.lock:
            rel = self.releases.get(int(release_id))
            state = rel.meta.get("state") if rel else None
            if state != "open":
                return [state or "missing"]
            if str(ticket["slot_id"]) in rel.full:
                return ["slot_full"]
            for person in people:
                held = rel.people.get(person)
                if held is not None:
                    return ["already_queued", held, self._rank(rel, held) if held in rel.wait else 0]
                if check_limit and rel.counts.get(person, 0) >= int(rel.meta["limit"]):
                    return ["limit"]
            rel.seq += 1
            rel.wait[ticket["id"]] = rel.seq
            rel.people.update(dict.fromkeys(people, ticket["id"]))
            self.tickets[ticket["id"]] = {k: "" if v is None else str(v) for k, v in ticket.items()} | {
                "number": str(rel.seq), "status": "waiting"}
            return ["queued", rel.seq, len(rel.wait)]

    def take(self, release_id: int, count: int) -> list[dict]:
        with self.lock:
            rel = self._rel(release_id)
            heads = sorted(rel.wait.items(), key=lambda item: item[1])[:count]
            for ticket_id, number in heads:
                del rel.wait[ticket_id]
                rel.inflight[ticket_id] = number
                self.tickets[ticket_id]["status"] = "admitting"
            return [dict(self.tickets[ticket_id]) for ticket_id, _ in heads]

    def inflight(self, release_id: int) -> list[dict]:
        with self.lock:
            rel = self._rel(release_id)
            return [dict(self.tickets[t]) for t in sorted(rel.inflight, key=rel.inflight.get) if t in self.tickets]

    def requeue(self, release_id: int, tickets: list[dict]) -> None:
        with self.lock:
            rel = self._rel(release_id)
            for t in tickets:
                rel.inflight.pop(t["id"], None)
                rel.wait[t["id"]] = int(t["number"])
                self.tickets[t["id"]]["status"] = "waiting"

    def resolve(self, release_id: int, outcomes: list[dict], *, ttl: int) -> None:
        with self.lock:
            rel = self._rel(release_id)
            for o in outcomes:
                stored = self.tickets.setdefault(o["id"], {})
                stored.update({k: "" if v is None else str(v) for k, v in o.items() if k != "people"})
                rel.inflight.pop(o["id"], None)
                for person in o["people"]:
                    rel.people.pop(person, None)
                    if o["status"] == "admitted":
                        rel.counts[person] = rel.counts.get(person, 0) + 1

    def end(self, release_id: int, state: str, *, ttl: int) -> list[dict]:
        with self.lock:
            rel = self._rel(release_id)
            rel.meta["state"] = state
            ids = sorted(rel.wait, key=rel.wait.get)
            rel.wait.clear()
            rel.people.clear()
            return [dict(self.tickets[t]) for t in ids if t in self.tickets]

    def ticket(self, ticket_id: str) -> dict | None:
        with self.lock:
            found = self.tickets.get(ticket_id)
            return dict(found) if found else None

    def view(self, ticket_id: str) -> dict | None:
        with self.lock:
            found = self.tickets.get(ticket_id)
            if not found:
                return None
            rel = self._rel(found["release_id"])
            position = self._rank(rel, ticket_id) if ticket_id in rel.wait else ""
            return dict(found) | {"release_state": rel.meta.get("state", ""), "position": str(position),
                                  "waiting": str(len(rel.wait)), "rate": rel.meta.get("rate", ""),
                                  "seats_left": rel.meta.get("seats_left", "")}

    def waiting(self, release_id: int) -> int:
        with self.lock:
            return len(self._rel(release_id).wait)

    def note_progress(self, release_id: int, *, rate: float, seats_left: int, full: list[int]) -> None:
        with self.lock:
            rel = self._rel(release_id)
            rel.meta.update({"rate": f"{rate:.3f}", "seats_left": str(seats_left)})
            rel.full = {str(s) for s in full}

    def unmark_full(self, release_id: int, slot_id: int) -> None:
        with self.lock:
            self._rel(release_id).full.discard(str(slot_id))

    def lease(self, release_id: int, owner: str, seconds: float) -> bool:
        with self.lock:
            rel, now = self._rel(release_id), time.monotonic()
            if rel.lease and rel.lease[0] != owner and rel.lease[1] > now:
                return False
            rel.lease = (owner, now + seconds)
            return True

    def drop_lease(self, release_id: int, owner: str) -> None:
        with self.lock:
            rel = self._rel(release_id)
            if rel.lease and rel.lease[0] == owner:
                rel.lease = None

    def claim_kick(self, release_id: int, seconds: int) -> bool:
        with self.lock:
            rel, now = self._rel(release_id), time.monotonic()
            if rel.kick_until > now:
                return False
            rel.kick_until = now + seconds
            return True

    def drop_kick(self, release_id: int) -> None:
        with self.lock:
            self._rel(release_id).kick_until = 0.0

    def clear(self) -> None:
        """Forget every queue (tests)."""
        with self.lock:
            self.releases.clear()
            self.tickets.clear()
