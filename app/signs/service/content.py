"""What signs show: composing text from templates, resolving targets, deliveries, the current content.

A sign shows its highest override in force (by severity, then the newest), else it rotates through
its messages in their schedule window (highest priority first, at most ``MAX_ROTATION``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, or_, select, update

from app.core.errors import ValidationFailed
from app.core.timeutil import utcnow
from app.extensions import db
from app.signs.models import ACTIVE, ONLINE, Sign, SignDelivery, SignMessage, SignOverride, SignTemplate
from app.signs.wording import param_text, placeholders, plain_text, render_all

MAX_ROTATION = 10
FREE_TEXT_PRIORITY = 50


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def compose(*, template: str | None, text: str | None, title: str | None, params: dict | None,
            priority: int | None = None) -> dict:
    """Title, text (English and translations), category and priority from a template or a free text."""
    params = params or {}
    if template is None:
        return _free_text(text, title, params, priority)
    tpl = db.session.scalar(select(SignTemplate).where(SignTemplate.slug == template))
    if tpl is None:
        raise ValidationFailed({"template": [f"Unknown template '{template}'."]})
    values = _checked_params(tpl, params)
    texts = render_all(tpl.body, tpl.translations or {}, values)
    return {"template": tpl.slug, "params": values, "category": tpl.category, "title": title or tpl.title,
            "text": texts["en"], "texts": texts, "priority": tpl.priority if priority is None else priority}


def _free_text(text: str, title: str | None, params: dict, priority: int | None) -> dict:
    if params:
        raise ValidationFailed({"params": ["Parameters need a template."]})
    shown = plain_text(text)
    if not shown:
        raise ValidationFailed({"text": ["The text is empty once markup is removed."]})
    return {"template": None, "params": None, "category": "general", "title": plain_text(title or "") or "Notice",
            "text": shown, "texts": {"en": shown}, "priority": FREE_TEXT_PRIORITY if priority is None else priority}


def _checked_params(tpl: SignTemplate, params: dict) -> dict[str, str]:
    needed = placeholders(tpl.body, *(tpl.translations or {}).values())
    missing = [name for name in needed if name not in params]
    if missing:
        raise ValidationFailed({"params": [f"Missing parameter(s) for '{tpl.slug}': {', '.join(missing)}."]})
    unknown = sorted(set(params) - set(needed))
    if unknown:
        raise ValidationFailed({"params": [f"'{tpl.slug}' has no parameter(s): {', '.join(unknown)}; "
                                           f"it takes: {', '.join(needed) or 'none'}."]})
    values = {name: param_text(params[name]) for name in needed}
    empty = [name for name, value in values.items() if not value]
    if empty:
        raise ValidationFailed({"params": [f"Empty parameter(s): {', '.join(empty)}."]})
    return values


def resolve_targets(targets: dict) -> list[int]:
    """Sign ids named by ``{all}`` or ``{sign_ids, zones, groups}``; 422 naming what does not exist."""
    if targets.get("all"):
        ids = list(db.session.scalars(select(Sign.id).order_by(Sign.id)))
        if not ids:
            raise ValidationFailed({"targets": ["There are no signs yet."]})
        return ids
    found: set[int] = set()
    problems = []
    for key, column, label in (("sign_ids", Sign.id, "sign id(s)"), ("zones", Sign.zone, "zone(s) with no sign"),
                               ("groups", Sign.group, "group(s) with no sign")):
        wanted = set(targets.get(key) or ())
        if not wanted:
            continue
        rows = db.session.execute(select(Sign.id, column).where(column.in_(wanted))).all()
        found.update(row[0] for row in rows)
        unknown = sorted(wanted - {row[1] for row in rows}, key=str)
        if unknown:
            problems.append(f"Unknown {label}: {', '.join(map(str, unknown))}.")
    if problems:
        raise ValidationFailed({"targets": problems})
    return sorted(found)


def add_deliveries(sign_ids: list[int], *, now: datetime, message_id: int | None = None,
                   override_id: int | None = None) -> None:
    """One delivery row per sign (bulk insert)."""
    if sign_ids:
        db.session.execute(insert(SignDelivery), [{"sign_id": i, "message_id": message_id, "override_id": override_id,
                                                   "created_at": now} for i in sign_ids])


def delivery_sign_ids(*, message_id: int | None = None, override_id: int | None = None) -> list[int]:
    """Ids of the signs a message or override was delivered to."""
    column = SignDelivery.message_id if message_id else SignDelivery.override_id
    stmt = select(SignDelivery.sign_id).where(column == (message_id or override_id)).order_by(SignDelivery.sign_id)
    return list(db.session.scalars(stmt))


def mark_sent(*, now: datetime, message_id: int | None = None, override_id: int | None = None,
              sign_ids: list[int] | None = None) -> None:
    """Record sending to the signs that are online (offline ones get it when they reconnect)."""
    column = SignDelivery.message_id if message_id else SignDelivery.override_id
    online = select(Sign.id).where(Sign.status == ONLINE)
    if sign_ids is not None:
        online = online.where(Sign.id.in_(sign_ids))
    db.session.execute(update(SignDelivery).where(column == (message_id or override_id), SignDelivery.sent_at.is_(None),
                                                  SignDelivery.sign_id.in_(online))
                       .values(sent_at=now).execution_options(synchronize_session=False))


def message_payload(msg: SignMessage, now: datetime | None = None) -> dict:
    """`new_message` as a sign receives it; `expires_in` lets a sign with a wrong clock drop it on time."""
    now = now or utcnow()
    return {"id": msg.id, "title": msg.title, "text": msg.text, "texts": msg.texts, "category": msg.category,
            "priority": msg.priority, "starts_at": _iso(msg.starts_at), "expires_at": _iso(msg.expires_at),
            "expires_in": _seconds_left(msg.expires_at, now)}


def override_payload(ov: SignOverride, now: datetime | None = None) -> dict:
    """`override` as a sign receives it."""
    now = now or utcnow()
    return {"id": ov.id, "title": ov.title, "text": ov.text, "texts": ov.texts, "severity": ov.severity,
            "priority": ov.priority, "expires_at": _iso(ov.expires_at), "expires_in": _seconds_left(ov.expires_at, now)}


def _seconds_left(at: datetime | None, now: datetime) -> int | None:
    return None if at is None else max(0, round((at - now).total_seconds()))


def _in_window(column_from, column_to, now: datetime):
    return [column_from <= now, or_(column_to.is_(None), column_to > now)]


def current_content(sign_ids: list[int] | None = None) -> dict[int, dict]:
    """{sign_id: {"override": SignOverride|None, "messages": [SignMessage…]}} for these (or all) signs."""
    now = utcnow()
    content: dict[int, dict] = {}
    overrides = (select(SignDelivery.sign_id, SignOverride).join(SignOverride)
                 .where(SignOverride.status == ACTIVE, *_in_window(SignOverride.activated_at, SignOverride.expires_at,
                                                                   now))
                 .order_by(SignOverride.priority.desc(), SignOverride.activated_at.desc(), SignOverride.id.desc()))
    messages = (select(SignDelivery.sign_id, SignMessage).join(SignMessage)
                .where(*_in_window(SignMessage.starts_at, SignMessage.expires_at, now))
                .order_by(SignMessage.priority.desc(), SignMessage.starts_at.desc(), SignMessage.id.desc()))
    if sign_ids is not None:
        overrides, messages = (q.where(SignDelivery.sign_id.in_(sign_ids)) for q in (overrides, messages))
    for sign_id in sign_ids or ():
        content[sign_id] = {"override": None, "messages": []}
    for sign_id, ov in db.session.execute(overrides):
        entry = content.setdefault(sign_id, {"override": None, "messages": []})
        entry["override"] = entry["override"] or ov
    for sign_id, msg in db.session.execute(messages):
        entry = content.setdefault(sign_id, {"override": None, "messages": []})
        if len(entry["messages"]) < MAX_ROTATION:
            entry["messages"].append(msg)
    return content


def content_payload(entry: dict | None) -> dict:
    """What a sign must show now, as it receives it: {"override": …|None, "messages": […]}."""
    entry = entry or {"override": None, "messages": []}
    now = utcnow()
    return {"override": override_payload(entry["override"], now) if entry["override"] else None,
            "messages": [message_payload(m, now) for m in entry["messages"]]}


def showing(entry: dict | None) -> dict:
    """The `showing` field of a sign resource."""
    entry = entry or {"override": None, "messages": []}
    ov, msgs = entry["override"], entry["messages"]
    return {"override": {"id": ov.id, "title": ov.title, "text": ov.text, "severity": ov.severity} if ov else None,
            "message": ({"id": msgs[0].id, "title": msgs[0].title, "text": msgs[0].text, "priority": msgs[0].priority}
                        if msgs else None),
            "messages": len(msgs)}
