"""Layering and dependency rules that keep the core testable and the app from crashing."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

from tests.fresh_python import run_fresh

ROOT = Path(__file__).resolve().parents[2]


def test_core_packages_load_no_qt() -> None:
    code = (
        "import sys\n"
        "import mxsettings.api.account, mxsettings.api.client, mxsettings.api.discovery\n"
        "import mxsettings.api.session\n"
        "import mxsettings.auth.uia, mxsettings.auth.stages, mxsettings.services.uia_driver\n"
        "import mxsettings.store, mxsettings.errors, mxsettings.cli\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'qasync'))\n"
        "print(','.join(loaded))\n"
    )
    assert run_fresh(code) == ""


def test_only_the_api_package_imports_httpx() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "mxsettings").rglob("*.py")
        if "api" not in path.relative_to(ROOT / "mxsettings").parts[:1]
        and any(line.startswith(("import httpx", "from httpx")) for line in path.read_text().splitlines())
    ]
    assert offenders == []


def _pyside_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = [Requirement(text) for text in project["dependencies"]]
    return [r for r in reqs if r.name.lower() == "pyside6-essentials"]


def _allowed(python: str, qt: str) -> bool:
    env = {"python_version": python, "python_full_version": python + ".0"}
    return any(
        Version(qt) in r.specifier
        for r in _pyside_requirements()
        if r.marker is None or r.marker.evaluate(env)
    )


def test_python_311_is_kept_below_pyside6_612() -> None:
    # 6.12.0 decrements True/None on every signal emit and C++->Python call; 3.11 aborts after a few thousand.
    assert _allowed("3.11", "6.11.3")
    assert not _allowed("3.11", "6.12.0")
    assert _allowed("3.12", "6.12.0")
    assert _allowed("3.13", "6.12.0")
