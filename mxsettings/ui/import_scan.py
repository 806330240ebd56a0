"""PySide6's scan of every imported module, made to read each file once instead of keeping it.

Once PySide6 is loaded it hooks ``__import__`` and asks, for each module imported afterwards, whether that
module's source mentions "PySide6" (PYSIDE-2029: such a module gets its own ``__feature__`` switches). It
finds out with ``inspect.getsource``, which leaves the whole source in ``linecache`` for the rest of the
process: about 6 MB for the few hundred modules this app loads (asyncio, httpx, keyring and the pages), a
seventh of what the app costs over a bare PySide6 window. ``make bench`` measures it.

``lighten_import_scan`` replaces that check with one that reads the file's bytes and keeps nothing. The
answer is the same for every module with a ``.py`` file; anything else (built-ins, extension modules,
modules from a zip) still goes to PySide6's own check. It touches a private module of PySide6, so it
checks the shape it expects and does nothing when that is missing: the app then only costs more memory.
"""

from __future__ import annotations

import linecache
import sys
from collections.abc import Callable
from types import ModuleType

#: The PySide6-internal module holding the check (shiboken6's embedded "shibokensupport" package).
FEATURE_MODULE = "shibokensupport.feature"
_CHECK = "_mod_uses_pyside"
_MARK = "_mxsettings_reads_bytes"


def lighten_import_scan() -> bool:
    """Install the byte-reading check and drop what the original already put in ``linecache``.

    Call after PySide6 is imported and before the bulk of the app's imports. Returns whether the check is
    in place (False when this PySide6 has no such scan, or has changed its shape).
    """
    feature = sys.modules.get(FEATURE_MODULE)
    original = getattr(feature, _CHECK, None)
    if feature is None or not callable(original):
        return False
    if getattr(original, _MARK, False):
        return True
    setattr(feature, _CHECK, _reading_bytes(original))
    # Only the scan has read sources so far in a normal start; anything needed later is read again.
    linecache.clearcache()
    return True


def _reading_bytes(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    def mentions_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return False  # as the original answers for a module whose source cannot be read

    setattr(mentions_pyside, _MARK, True)
    return mentions_pyside
