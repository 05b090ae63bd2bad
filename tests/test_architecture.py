"""The domain template, checked on every run (docs/architecture.md).

Every package under ``app/`` except the platform (core, realtime, console) is a domain, found by
looking at the folder, so a new domain is checked the moment it exists. The checks read the source
with ``ast`` (no import needed), which is also how the planted violations below prove they bite.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLATFORM = ("core", "realtime", "console")
REQUIRED = ("models.py", "schemas.py", "errors.py", "events.py", "datasets.py", "kpis.py", "seed.py")
EITHER = (("service.py", "service"), ("api.py", "api"))
PUBLIC = ("service", "errors")  # what other domains may import of a domain


def domains(root: Path) -> list[str]:
    """Every domain package under ``root/app``."""
    return sorted(p.name for p in (root / "app").iterdir()
                  if p.is_dir() and (p / "__init__.py").exists() and p.name not in PLATFORM)


def modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def imports(path: Path) -> list[tuple[str, int]]:
    """Every module a file imports (``from a.b import c`` yields ``a.b.c`` and ``a.b``), with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
            found += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names]
    return found


def _where(root: Path, path: Path, line: int) -> str:
    return f"{path.relative_to(root)}:{line}"


def missing_template_files(root: Path) -> list[str]:
    problems = []
    for name in domains(root):
        folder = root / "app" / name
        problems += [f"app/{name}/{f} is missing" for f in REQUIRED if not (folder / f).exists()]
        problems += [f"app/{name} has neither {a} nor {b}/" for a, b in EITHER
                     if not (folder / a).exists() and not (folder / b / "__init__.py").exists()]
        if "DOMAIN = Domain(" not in (folder / "__init__.py").read_text():
            problems.append(f"app/{name}/__init__.py declares no DOMAIN = Domain(...)")
    return problems


def cross_domain_imports(root: Path) -> list[str]:
    """Imports of another domain's models, api, schemas, events or feature modules; of the platform's realtime."""
    names, problems = domains(root), []
    owners = [(name, root / "app" / name) for name in names] + [(None, root / "tasks")]
    for own, folder in owners:
        if not folder.exists():
            continue
        for path in modules(folder):
            for imported, line in imports(path):
                parts = imported.split(".")
                if len(parts) >= 3 and parts[0] == "app" and parts[1] in names and parts[1] != own \
                        and parts[2] not in PUBLIC:
                    problems.append(f"{_where(root, path, line)} imports {imported}")
                if parts[:2] in (["app", "realtime"], ["app", "console"]):
                    problems.append(f"{_where(root, path, line)} imports the platform's {imported}")
    return problems


def _submodule_names(root: Path, domain: str) -> set[str]:
    service = root / "app" / domain / "service"
    return {p.stem for p in service.glob("*.py") if p.stem != "__init__"} if service.is_dir() else set()


def feature_module_imports(root: Path) -> list[str]:
    """Another domain's ``service/<feature>.py`` is private: use the package ``app.<domain>.service``."""
    names, problems = domains(root), []
    for own in names + [None]:
        folder = root / "app" / own if own else root / "tasks"
        for path in modules(folder) if folder.exists() else []:
            for imported, line in imports(path):
                parts = imported.split(".")
                if len(parts) == 4 and parts[0] == "app" and parts[1] in names and parts[1] != own \
                        and parts[2] == "service" and parts[3] in _submodule_names(root, parts[1]):
                    problems.append(f"{_where(root, path, line)} imports {imported}")
    return problems


def api_touching_the_session(root: Path) -> list[str]:
    problems = []
    for name in domains(root):
        folder = root / "app" / name
        files = [folder / "api.py"] if (folder / "api.py").exists() else modules(folder / "api")
        for path in files:
            source = path.read_text()
            for imported, line in imports(path):
                if imported in ("app.extensions.db", "sqlalchemy") or imported.startswith("sqlalchemy."):
                    problems.append(f"{_where(root, path, line)} imports {imported}")
                if imported == "flask_smorest.Blueprint":  # the house Blueprint carries the one body parser
                    problems.append(f"{_where(root, path, line)} imports {imported}: use app.core.parsing.Blueprint")
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Attribute) and node.attr == "session":
                    problems.append(f"{_where(root, path, node.lineno)} uses a session")
    return problems


def services_reading_the_request(root: Path) -> list[str]:
    problems = []
    for name in domains(root):
        folder = root / "app" / name
        files = [folder / "service.py"] if (folder / "service.py").exists() else modules(folder / "service")
        for path in files:
            problems += [f"{_where(root, path, line)} imports {imported}" for imported, line in imports(path)
                         if imported in ("flask.request", "flask.g", "flask.session")]
    return problems


def core_importing_domains(root: Path) -> list[str]:
    problems = []
    for path in modules(root / "app" / "core"):
        for imported, line in imports(path):
            parts = imported.split(".")
            if parts[0] == "app" and len(parts) > 1 and parts[1] not in ("core", "extensions"):
                problems.append(f"{_where(root, path, line)} imports {imported}")
            if parts[0] == "tasks":
                problems.append(f"{_where(root, path, line)} imports {imported}")
    return problems


def app_importing_tasks(root: Path) -> list[str]:
    """Work is enqueued by task name (app.core.jobs): nothing under app/ imports tasks/."""
    return [f"{_where(root, path, line)} imports {imported}" for path in modules(root / "app")
            for imported, line in imports(path) if imported.split(".")[0] == "tasks"]


def literal_machine_codes(root: Path) -> list[str]:
    """``raise Conflict("…", error="slot_full")``: a machine code belongs to an errors.py class."""
    problems = []
    for path in modules(root / "app"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                for keyword in node.exc.keywords:
                    if keyword.arg == "error" and isinstance(keyword.value, ast.Constant):
                        problems.append(f"{_where(root, path, node.lineno)} raises with error={keyword.value.value!r}")
    return problems


CHECKS = [missing_template_files, cross_domain_imports, feature_module_imports, api_touching_the_session,
          services_reading_the_request, core_importing_domains, app_importing_tasks, literal_machine_codes]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_the_repository_follows_the_template(check):
    assert check(ROOT) == []


def test_every_domain_is_found():
    assert {"auth", "alerts", "reports", "temples", "parking"} <= set(domains(ROOT))


# --- the checks bite: a planted domain breaks each rule once --------------------------------------------------

GOOD_FILES = dict.fromkeys(REQUIRED, '"""ok"""\n') | {
    "__init__.py": 'from app.core.domain import Domain\n\nDOMAIN = Domain(name="{name}", title="T")\n',
    "service.py": '"""ok"""\n', "api.py": '"""ok"""\n'}


def plant(root: Path, name: str, files: dict[str, str]) -> None:
    folder = root / "app" / name
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text.replace("{name}", name))


@pytest.fixture
def tree(tmp_path):
    """A small repository: core, tasks, a proper domain ``temples`` with a service package."""
    (tmp_path / "app" / "core").mkdir(parents=True)
    (tmp_path / "app" / "core" / "events.py").write_text("from app.extensions import db\n")
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "tasks").mkdir()
    plant(tmp_path, "temples", {k: v for k, v in GOOD_FILES.items() if k != "service.py"} | {
        "service/__init__.py": "from app.temples.service.bookings import book\n",
        "service/bookings.py": "def book():\n    pass\n"})
    return tmp_path


def test_a_clean_tree_passes(tree):
    assert [problem for check in CHECKS for problem in check(tree)] == []


@pytest.mark.parametrize("check, files, expected", [
    (missing_template_files, {k: v for k, v in GOOD_FILES.items() if k != "errors.py"}, "errors.py is missing"),
    (missing_template_files, {**GOOD_FILES, "__init__.py": '"""no declaration"""\n'}, "declares no DOMAIN"),
    (cross_domain_imports, {**GOOD_FILES, "service.py": "from app.temples.models import Booking\n"},
     "imports app.temples.models"),
    (cross_domain_imports, {**GOOD_FILES, "service.py": "from app.temples import schemas\n"},
     "imports app.temples.schemas"),
    (cross_domain_imports, {**GOOD_FILES, "events.py": "from app.realtime import handlers\n"},
     "platform's app.realtime"),
    (feature_module_imports, {**GOOD_FILES, "service.py": "from app.temples.service.bookings import book\n"},
     "imports app.temples.service.bookings"),
    (api_touching_the_session, {**GOOD_FILES, "api.py": "from app.extensions import db\nx = db.session\n"},
     "uses a session"),
    (api_touching_the_session, {**GOOD_FILES, "api.py": "from flask_smorest import Blueprint\n"},
     "use app.core.parsing.Blueprint"),
    (services_reading_the_request, {**GOOD_FILES, "service.py": "from flask import request\n"},
     "imports flask.request"),
    (literal_machine_codes, {**GOOD_FILES, "service.py": "def f():\n    raise Conflict('x', error='slot_full')\n"},
     "error='slot_full'"),
])
def test_a_planted_violation_fails_its_check(tree, check, files, expected):
    assert check(tree) == []
    plant(tree, "safety", files)
    problems = check(tree)
    assert any(expected in p for p in problems), problems


def test_core_importing_a_domain_or_app_importing_tasks_fails(tree):
    (tree / "app" / "core" / "places.py").write_text("from app.temples.service import book\n")
    (tree / "app" / "core" / "notify.py").write_text("from tasks.notifications import deliver\n")
    core = core_importing_domains(tree)
    assert "app/core/places.py:1 imports app.temples.service" in core
    assert "app/core/notify.py:1 imports tasks.notifications" in core
    assert "app/core/notify.py:1 imports tasks.notifications" in app_importing_tasks(tree)
