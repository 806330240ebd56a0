"""``mxsettings --self-check``: does this installation have what the app needs? For a bundle above all,
where a module, a Qt plugin or a data file left out by the packager shows up only on somebody else's machine.

Each check prints one line: ``ok``, ``note`` (fine for the bundle, worth knowing on this machine) or
``MISSING``; the exit status is 1 when anything is missing. What is checked, without any network:

* Qt: the main window is built and painted offscreen, the SVG icon renders (the svg image and icon engine
  plugins), and the platform plugins of this OS load with their system libraries (``QPluginLoader``; the
  window itself needs no display). On Linux xcb must load; Wayland is a note, since the bundle leaves
  libwayland to the system and an X11-only machine lacks it.
* keyring: the OS backend's modules and keyring's entry points are bundled. Whether this machine has a secure
  keyring right now (a desktop session with GNOME Keyring or KWallet, unlocked) is a note, not a failure: the
  bundle is fine, and the app then keeps sessions in memory and says so in its banner.
* TLS: an ``ssl`` default context takes certifi's CA bundle, the one httpx verifies servers with.
* the password strength meter: its helper process (this executable with ``--strength-worker``) starts and
  judges a password with zxcvbn's word lists.
* translations: every compiled catalogue loads, German among them, with Qt's own ``qtbase`` catalogue.
"""

from __future__ import annotations

import os
import ssl
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

OK, NOTE, MISSING = "ok", "note", "MISSING"
# The catalogue the project promises complete (issue 6); the check fails if the bundle lost it.
REQUIRED_LANGUAGES = ("de",)


@dataclass(frozen=True)
class Result:
    status: str
    topic: str
    text: str


def self_check(out: Callable[[str], None] = print) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the window is built, never shown on a screen
    from PySide6.QtWidgets import QApplication

    from mxsettings.ui.i18n import install_translators

    app = QApplication.instance() or QApplication([sys.argv[0], "--self-check"])
    assert isinstance(app, QApplication)
    install_translators(app)  # the window is built as the user would see it, in their language
    results: list[Result] = []
    checks = (
        _check_qt_window,
        _check_icon,
        _check_platform_plugins,
        _check_tls,
        _check_keyring,
        _check_strength_helper,
    )
    for check in (*checks, _check_translations):
        results.extend(_guarded(check))
    for result in results:
        out(f"{result.status:<8} {result.topic}: {result.text}")
    missing = [r for r in results if r.status == MISSING]
    out("self-check: " + (f"{len(missing)} missing" if missing else "everything the app needs is here"))
    return 1 if missing else 0


def _guarded(check: Callable[[], Iterator[Result] | list[Result]]) -> list[Result]:
    """A check that crashes reports what crashed: that is the finding (a module missing from the bundle)."""
    name = getattr(check, "__name__", "check").removeprefix("_check_")
    try:
        return list(check())
    except Exception as exc:
        return [Result(MISSING, name, f"{type(exc).__name__}: {exc}")]


def _check_qt_window() -> Iterator[Result]:
    from PySide6.QtCore import qVersion
    from PySide6.QtGui import QGuiApplication

    from mxsettings.app import build_main_window
    from mxsettings.store.secrets import MemorySecretStore

    with tempfile.TemporaryDirectory() as config:
        window = build_main_window(
            config_dir=Path(config), secret_store=MemorySecretStore(), open_url=lambda url: None
        )
        window.show()
        QGuiApplication.processEvents()
        painted = not window.grab().isNull()
        window.close()
        window.deleteLater()
    platform = QGuiApplication.platformName()
    yield Result(
        OK if painted else MISSING,
        "qt",
        f"main window built and painted (Qt {qVersion()}, platform {platform})"
        if painted
        else "the main window could not be painted",
    )


def _check_icon() -> Iterator[Result]:
    from PySide6.QtGui import QImageReader

    from mxsettings.ui.desktop import app_icon, icon_file

    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    if "svg" not in formats:
        yield Result(MISSING, "qt", "the SVG image format plugin (imageformats/qsvg)")
    svg = icon_file()
    if svg is None:
        yield Result(MISSING, "icon", "the app's SVG icon is not in the installation")
        return
    pixmap = app_icon().pixmap(64, 64)
    yield Result(
        OK if not pixmap.isNull() else MISSING,
        "icon",
        "app icon renders" if not pixmap.isNull() else f"{svg.name} does not render (svg icon engine)",
    )


def _platform_plugins() -> tuple[list[str], list[str]]:
    """(required, optional) platform plugin file names for this OS."""
    if sys.platform == "win32":
        return ["qwindows.dll"], []
    if sys.platform == "darwin":
        return ["libqcocoa.dylib"], []
    return ["libqxcb.so"], ["libqwayland.so", "libqwayland-generic.so"]


def _check_platform_plugins() -> Iterator[Result]:
    from PySide6.QtCore import QLibraryInfo, QPluginLoader

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    required, optional = _platform_plugins()
    found_optional = [name for name in optional if (folder / name).is_file()]
    for name in required + found_optional:
        path = folder / name
        if not path.is_file():
            yield Result(MISSING, "qt", f"platform plugin {name} (looked in {folder})")
            continue
        loader = QPluginLoader(str(path))
        if loader.load():
            yield Result(OK, "qt", f"platform plugin {name} loads")
            loader.unload()
        else:
            # The loader's message names the system library that is missing (libxcb-cursor0, for instance).
            status = MISSING if name in required else NOTE
            yield Result(status, "qt", f"platform plugin {name} does not load: {loader.errorString()}")
    if optional and not found_optional:
        yield Result(NOTE, "qt", "no Wayland platform plugin in this installation; X11 (XWayland) is used")


def _check_tls() -> Iterator[Result]:
    import certifi

    bundle = Path(certifi.where())
    if not bundle.is_file():
        yield Result(MISSING, "tls", f"certifi's CA bundle ({bundle})")
        return
    context = ssl.create_default_context()
    context.load_verify_locations(cafile=str(bundle))
    authorities = context.cert_store_stats()["x509_ca"]
    yield Result(
        OK if authorities else MISSING,
        "tls",
        f"{authorities} certificate authorities from certifi, {ssl.OPENSSL_VERSION}",
    )


def _keyring_modules() -> list[str]:
    if sys.platform == "win32":
        return ["keyring.backends.Windows", "win32ctypes"]
    if sys.platform == "darwin":
        return ["keyring.backends.macOS"]
    return ["keyring.backends.SecretService", "secretstorage", "jeepney"]


def _check_keyring() -> Iterator[Result]:
    import importlib
    from importlib.metadata import entry_points

    for module in _keyring_modules():
        importlib.import_module(module)  # an ImportError is reported by _guarded
    backends = entry_points(group="keyring.backends")
    if not backends:
        yield Result(MISSING, "keyring", "keyring's backend entry points (its package metadata)")
        return
    yield Result(OK, "keyring", f"backends bundled: {', '.join(_keyring_modules())}")
    from mxsettings.store.secrets import choose_secret_store

    choice = choose_secret_store()
    if choice.secure:
        yield Result(OK, "keyring", f"sessions are kept in {choice.backend}")
    else:
        yield Result(
            NOTE,
            "keyring",
            f"no secure keyring usable on this machine now ({choice.reason.value}); the app would keep "
            "sessions in memory only and say so",
        )


def _check_strength_helper() -> Iterator[Result]:
    import asyncio

    from mxsettings.services.strength import StrengthEstimator

    estimator = StrengthEstimator()
    try:
        strength = asyncio.run(estimator.estimate("password1"))
    finally:
        estimator.close()
    if strength is None or strength.score != 0:
        yield Result(
            MISSING, "strength", "the password strength helper gives no verdict (zxcvbn, or the helper)"
        )
        return
    yield Result(OK, "strength", "the password strength helper answers")


def _check_translations() -> Iterator[Result]:
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    from mxsettings.ui.i18n import CATALOGUE, chosen_locale, compiled_languages, translations_dir

    folder = translations_dir()
    languages = compiled_languages()
    for language in REQUIRED_LANGUAGES:
        if language not in languages:
            yield Result(MISSING, "translations", f"{CATALOGUE}_{language}.qm (looked in {folder})")
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for language in languages:
        ours, qt = QTranslator(), QTranslator()
        assert folder is not None
        if not ours.load(str(folder / f"{CATALOGUE}_{language}.qm")) or ours.isEmpty():
            yield Result(MISSING, "translations", f"{CATALOGUE}_{language}.qm does not load")
            continue
        if not qt.load(QLocale(language), "qtbase", "_", qt_folder, ".qm"):
            yield Result(MISSING, "translations", f"Qt's own qtbase_{language}.qm (looked in {qt_folder})")
            continue
        yield Result(OK, "translations", f"{language}: the app's and Qt's catalogues load")
    yield Result(OK, "translations", f"this session's language: {chosen_locale().name()}")
