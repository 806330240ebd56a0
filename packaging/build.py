"""Build steps shared by `make package`, `make translations` and the release workflow (Linux, Windows, macOS).

    python packaging/build.py translations   # resources/translations/*.ts -> mxsettings/translations/*.qm
    python packaging/build.py icons          # the SVG -> build/icons/ (hicolor PNGs, the installer icon)
    python packaging/build.py bundle         # both, then PyInstaller: dist/mxsettings/
    python packaging/build.py check          # run the bundle's --version and --self-check without the venv
    python packaging/build.py tarball        # Linux: dist/mxsettings-<version>-linux-<machine>.tar.gz

Run it with the venv's Python: the Qt tools (pyside6-lrelease) and PyInstaller are found beside it.
"""

# ruff: noqa: S603 (subprocess runs our own tools from the venv, never a shell)
from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
BUNDLE = DIST / "mxsettings"
ICONS = ROOT / "build" / "icons"
sys.path.insert(0, str(ROOT))


def _tool(name: str, *alternatives: str) -> str:
    """A tool beside this Python (the venv's), else on PATH (Qt's own lrelease in a Flatpak SDK)."""
    here = str(Path(sys.executable).parent)
    found = next(
        (p for n in (name, *alternatives) for p in (shutil.which(n, path=here), shutil.which(n)) if p), None
    )
    if found is None:
        raise SystemExit(f"build: {name} not found beside {sys.executable} (is the venv installed?)")
    return found


def translations() -> None:
    out = ROOT / "mxsettings" / "translations"
    out.mkdir(exist_ok=True)
    lrelease = _tool("pyside6-lrelease", "lrelease")
    for ts in sorted((ROOT / "resources" / "translations").glob("*.ts")):
        qm = out / f"{ts.stem}.qm"
        subprocess.run([lrelease, "-silent", str(ts), "-qm", str(qm)], check=True)
        print(f"build: {qm.relative_to(ROOT)}")


def icons() -> None:
    subprocess.run([sys.executable, str(ROOT / "packaging" / "render_icons.py"), str(ICONS)], check=True)


def bundle() -> None:
    translations()
    icons()
    started = time.monotonic()
    subprocess.run(
        [
            _tool("pyinstaller"),
            "--noconfirm",
            "--clean",
            "--log-level=WARN",
            f"--distpath={DIST}",
            f"--workpath={ROOT / 'build' / 'pyinstaller'}",
            str(ROOT / "packaging" / "mxsettings.spec"),
        ],
        check=True,
        cwd=ROOT,
    )
    size = sum(f.stat().st_size for f in BUNDLE.rglob("*") if f.is_file() and not f.is_symlink())
    print(f"build: {BUNDLE.relative_to(ROOT)} in {time.monotonic() - started:.0f} s, {size / 1e6:.0f} MB")


def executable() -> Path:
    if sys.platform == "darwin":
        return DIST / "mxsettings.app" / "Contents" / "MacOS" / "mxsettings"
    return BUNDLE / ("mxsettings.exe" if sys.platform == "win32" else "mxsettings")


def check() -> None:
    """Both commands, as on a machine without the project: no venv, no Python on the path, a fresh HOME."""
    with tempfile.TemporaryDirectory() as home:
        if sys.platform == "linux":
            env = {"PATH": "/usr/bin:/bin", "HOME": home, "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
        else:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
            env["QT_QPA_PLATFORM"] = "offscreen"
        for args in (["--version"], ["--self-check"]):
            print(f"build: {executable().relative_to(ROOT)} {' '.join(args)}", flush=True)
            subprocess.run([str(executable()), *args], check=True, env=env, cwd=home, timeout=120)


def tarball() -> None:
    """The bundle plus the freedesktop files under share/, as one folder to unpack anywhere."""
    from mxsettings import __version__
    from mxsettings.ui.desktop import APP_ID

    share = BUNDLE / "share"
    shutil.rmtree(share, ignore_errors=True)
    linux = ROOT / "packaging" / "linux"
    (share / "applications").mkdir(parents=True)
    shutil.copy(linux / f"{APP_ID}.desktop", share / "applications")
    (share / "metainfo").mkdir()
    shutil.copy(linux / f"{APP_ID}.metainfo.xml", share / "metainfo")
    shutil.copytree(ICONS / "hicolor", share / "icons" / "hicolor")
    (share / "icons" / "hicolor" / "scalable" / "apps").mkdir(parents=True)
    shutil.copy(
        ROOT / "resources" / "icons" / f"{APP_ID}.svg", share / "icons" / "hicolor" / "scalable" / "apps"
    )
    name = f"mxsettings-{__version__}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(DIST / name, "w:gz") as archive:
        archive.add(BUNDLE, arcname="mxsettings")
    print(f"build: dist/{name}, {(DIST / name).stat().st_size / 1e6:.0f} MB")


STEPS = {"translations": translations, "icons": icons, "bundle": bundle, "check": check, "tarball": tarball}

if __name__ == "__main__":
    for step in sys.argv[1:] or ["bundle"]:
        if step not in STEPS:
            raise SystemExit(f"build: unknown step {step!r}; one of {', '.join(STEPS)}")
        STEPS[step]()
