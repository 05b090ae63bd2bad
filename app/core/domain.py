"""The domain registry: each domain package declares itself once, everything else reads the declarations.

A domain is a package ``app/<name>/`` whose ``__init__.py`` holds ``DOMAIN = Domain(...)``. The app
factory, the Celery worker and beat, ``flask seed-demo``, the Socket.IO layer, the export and KPI
registries and the console discover domains here; no other module lists them (see
docs/architecture.md). References such as ``"service:resolve_temple"`` are resolved lazily, relative
to the domain's package, so declaring a domain imports nothing heavy.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Packages under app/ that are the platform, not domains: they follow no domain template.
PLATFORM_PACKAGES = ("core", "realtime", "console")


@dataclass(frozen=True)
class Beat:
    """A periodic job: a Celery task name and its schedule (a ``crontab`` or seconds)."""

    task: str
    schedule: Any
    args: tuple = ()


@dataclass(frozen=True)
class Channel:
    """A Socket.IO channel on the default namespace.

    ``roles=None`` lets anyone (anonymous sockets too) subscribe; otherwise one of the roles (admin
    always). ``snapshot`` ("module:function", called with the subscription scope) is sent as the
    channel's first event to a new subscriber. ``scoping`` picks how rooms are named: ``place``
    (temple → zone) or ``module`` (module and minimum severity).
    """

    name: str
    events: tuple[str, ...]
    roles: tuple[str, ...] | None = None
    snapshot: str | None = None
    scoping: str = "place"


@dataclass(frozen=True)
class Screen:
    """A console page ``/console/<slug>`` for the given roles (admin always)."""

    slug: str
    title: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Domain:
    """Everything the platform needs to know about a domain, declared in its ``__init__.py``."""

    name: str
    title: str
    api: str | None = "api"
    tasks: str | None = None
    beat: Mapping[str, Beat] = field(default_factory=dict)
    seed: str | None = "seed:seed_demo"
    datasets: str | None = "datasets:DATASETS"
    kpis: str | None = "kpis:METRICS"
    channels: tuple[Channel, ...] = ()
    subscribes: Mapping[str, str] = field(default_factory=dict)
    hooks: Mapping[str, str] = field(default_factory=dict)
    sockets: str | None = None
    commands: str | None = None
    screens: tuple[Screen, ...] = ()
    requires: tuple[str, ...] = ()
    package: str = ""  # filled in by discovery: "app.<name>"

    @property
    def prefix(self) -> str:
        """The prefix of this domain's event names ("temples.")."""
        return f"{self.name}."

    def module(self, name: str):
        """Import one of the domain's modules by its name relative to the package."""
        return importlib.import_module(f"{self.package}.{name}")

    def resolve(self, ref: str):
        """Return the object a ``"module:attribute"`` reference names."""
        module, _, attribute = ref.partition(":")
        target = self.module(module)
        return getattr(target, attribute) if attribute else target


_domains: dict[str, Domain] = {}


def _ordered(found: dict[str, Domain]) -> dict[str, Domain]:
    """Order domains so that each comes after those it requires (then by name)."""
    ordered: dict[str, Domain] = {}

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in ordered:
            return
        if name in path:
            raise RuntimeError(f"domains require each other in a cycle: {' -> '.join(path + (name,))}")
        domain = found[name]
        for needed in domain.requires:
            if needed not in found:
                raise RuntimeError(f"domain {name!r} requires unknown domain {needed!r}")
            visit(needed, path + (name,))
        ordered[name] = domain

    for name in sorted(found):
        visit(name, ())
    return ordered


def discover(package: str = "app") -> dict[str, Domain]:
    """Find every ``app/<name>/`` package declaring ``DOMAIN`` and remember them (in dependency order)."""
    root = importlib.import_module(package)
    found: dict[str, Domain] = {}
    for info in sorted(pkgutil.iter_modules(root.__path__), key=lambda i: i.name):
        if not info.ispkg or info.name in PLATFORM_PACKAGES:
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        declared = getattr(module, "DOMAIN", None)
        if not isinstance(declared, Domain):
            raise RuntimeError(f"{package}.{info.name} is a domain package but declares no DOMAIN = Domain(...)")
        if declared.name != info.name:
            raise RuntimeError(f"{package}.{info.name} declares the domain {declared.name!r}: use the package name")
        found[info.name] = Domain(**{**declared.__dict__, "package": f"{package}.{info.name}"})
    _domains.clear()
    _domains.update(_ordered(found))
    return dict(_domains)


def domains() -> list[Domain]:
    """The discovered domains, each after those it requires."""
    return list(_domains.values())


def channels() -> dict[str, Channel]:
    """Every Socket.IO channel any domain declares, by name."""
    return {c.name: c for d in _domains.values() for c in d.channels}


def screens() -> list[tuple[Domain, Screen]]:
    """Every console screen, in domain order."""
    return [(d, s) for d in _domains.values() for s in d.screens]


def beat_schedule() -> dict[str, dict]:
    """The Celery beat entries of every domain, in Celery's format."""
    return {name: {"task": b.task, "schedule": b.schedule, "args": b.args}
            for d in _domains.values() for name, b in d.beat.items()}
