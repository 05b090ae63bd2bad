"""Signs factories: signs (each with its own device and a known key), messages and overrides on them, submissions.

    sign = SignFactory(zone="ghat")          # sign.key: its raw device key (socket auth, X-Device-Key)
    MessageFactory(signs=[sign])             # a message showing now on these signs
"""

from __future__ import annotations

import hashlib

import factory

from app.auth.models import Device
from app.core.timeutil import utcnow
from app.extensions import db
from app.signs.models import ACTIVE, OFFLINE, PENDING, Sign, SignDelivery, SignMessage, SignOverride, SignSubmission
from tests.factories import Base


class DeviceFactory(Base):
    """A device of kind `sign`; only its key's hash is stored (as in production), ``device.key`` keeps the key."""

    class Meta:
        model = Device

    key = factory.Sequence(lambda n: f"sk_test_sign_{n:05d}_0123456789abcdef")
    name = factory.Sequence(lambda n: f"Sign device {n}")
    kind = "sign"
    is_active = True

    @classmethod
    def _create(cls, model_class, *args, key: str, **kwargs):
        device = super()._create(model_class, *args, key_prefix=key[:10],
                                 key_hash=hashlib.sha256(key.encode()).hexdigest(), **kwargs)
        device.key = key
        return device


class SignFactory(Base):
    """An offline sign in zone ``mainGate`` with its device; ``sign.key`` is the device key."""

    class Meta:
        model = Sign

    device = factory.SubFactory(DeviceFactory)
    name = factory.Sequence(lambda n: f"Sign {n}")
    zone = "mainGate"
    group = None
    lat, lng = 20.8880, 70.4013
    status = OFFLINE
    impressions = 0

    @classmethod
    def _create(cls, model_class, *args, device: Device, **kwargs):
        sign = super()._create(model_class, *args, device_id=device.id, **kwargs)
        sign.key = device.key
        return sign


def _deliver(obj, signs, column: str) -> None:
    db.session.add_all(SignDelivery(sign_id=s.id, created_at=utcnow(), **{column: obj.id}) for s in signs or ())
    db.session.commit()


class MessageFactory(Base):
    """A free-text message showing now (no expiry) on ``signs=[…]``."""

    class Meta:
        model = SignMessage

    category, title, priority, source = "general", "Notice", 50, "operator"
    text = factory.Sequence(lambda n: f"Message {n}")
    texts = factory.LazyAttribute(lambda o: {"en": o.text})
    targets = {"all": True}
    starts_at = factory.LazyFunction(utcnow)
    dispatched_at = factory.LazyFunction(utcnow)
    created_at = factory.LazyFunction(utcnow)

    @factory.post_generation
    def signs(obj, _create, extracted, **_kwargs):  # noqa: N805 - factory_boy hook
        _deliver(obj, extracted, "message_id")


class OverrideFactory(Base):
    """An active warning override on ``signs=[…]``."""

    class Meta:
        model = SignOverride

    title, severity, priority, status, source = "Notice", "warning", 200, ACTIVE, "operator"
    text = factory.Sequence(lambda n: f"Override {n}")
    texts = factory.LazyAttribute(lambda o: {"en": o.text})
    targets = {"all": True}
    created_at = factory.LazyFunction(utcnow)
    activated_at = factory.LazyFunction(utcnow)

    @factory.post_generation
    def signs(obj, _create, extracted, **_kwargs):  # noqa: N805 - factory_boy hook
        _deliver(obj, extracted, "override_id")


class SubmissionFactory(Base):
    """A pending attendee submission."""

    class Meta:
        model = SignSubmission

    kind = "lost"
    text = factory.Sequence(lambda n: f"Child {n} in a red shirt")
    zone = "mainGate"
    status = PENDING
    created_at = factory.LazyFunction(utcnow)
