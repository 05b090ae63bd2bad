"""Message templates (CA-5): the 17 defaults (seeded by the migration) and operators' own."""

from __future__ import annotations

from sqlalchemy import select

from app.core.errors import ValidationFailed
from app.core.events import Event, publish, transactional
from app.extensions import db
from app.signs.catalogue import DEFAULT_TEMPLATES
from app.signs.errors import TemplateExists, TemplateNotFound
from app.signs.models import SignTemplate
from app.signs.wording import placeholders


def template_view(tpl: SignTemplate) -> dict:
    """A template as the REST resource, with the placeholders its parameters must fill."""
    return {"slug": tpl.slug, "category": tpl.category, "title": tpl.title, "body": tpl.body,
            "placeholders": placeholders(tpl.body, *(tpl.translations or {}).values()),
            "translations": tpl.translations or {}, "priority": tpl.priority, "is_default": tpl.is_default}


def list_templates(*, category: str | None = None) -> list[dict]:
    """Every template, defaults first, by category."""
    stmt = select(SignTemplate).order_by(SignTemplate.is_default.desc(), SignTemplate.category, SignTemplate.slug)
    if category:
        stmt = stmt.where(SignTemplate.category == category)
    return [template_view(t) for t in db.session.scalars(stmt)]


def get_template(*, slug: str) -> dict:
    """One template or 404."""
    tpl = db.session.scalar(select(SignTemplate).where(SignTemplate.slug == slug))
    if tpl is None:
        raise TemplateNotFound()
    return template_view(tpl)


@transactional
def create_template(*, slug: str, category: str, title: str, body: str, priority: int = 50,
                    translations: dict | None = None) -> dict:
    """Add a template; its translations may use only the English body's placeholders; 409 if the slug is taken."""
    translations = translations or {}
    if "en" in translations:
        raise ValidationFailed({"translations": ["English is the body; translations are for other languages."]})
    english = set(placeholders(body))
    strays = {lang: sorted(set(placeholders(text)) - english) for lang, text in translations.items()}
    strays = {lang: names for lang, names in strays.items() if names}
    if strays:
        raise ValidationFailed({"translations": [f"{lang} uses placeholders the English body lacks: "
                                                 f"{', '.join(names)}." for lang, names in sorted(strays.items())]})
    if db.session.scalar(select(SignTemplate.id).where(SignTemplate.slug == slug)):
        raise TemplateExists()
    tpl = SignTemplate(slug=slug, category=category, title=title, body=body, translations=translations,
                       priority=priority, is_default=False)
    db.session.add(tpl)
    db.session.flush()
    publish(Event(name="signs.template_created", payload={"slug": slug}, entity="sign_template", entity_id=tpl.id,
                  action="create", changes={"slug": [None, slug], "body": [None, body]}))
    return template_view(tpl)


@transactional
def ensure_default_templates() -> int:
    """Put back any of the 17 default templates that is missing (the migration seeds them); return how many."""
    present = set(db.session.scalars(select(SignTemplate.slug)))
    missing = [t for t in DEFAULT_TEMPLATES if t[0] not in present]
    db.session.add_all(SignTemplate(slug=slug, category=category, title=title, body=body, translations=translations,
                                    priority=priority, is_default=True)
                       for slug, category, title, body, priority, translations in missing)
    return len(missing)
