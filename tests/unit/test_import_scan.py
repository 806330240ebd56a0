"""PySide6's per-import source scan, made to read each file once instead of keeping it (ui/import_scan.py).

Each check runs in a fresh interpreter: the scan is process-wide, and the test suite has long since
imported everything.
"""

from __future__ import annotations

import json
import sys

import pytest

from mxsettings.ui import import_scan
from tests.fresh_python import run_fresh

SCAN = r"""
import json, linecache, pathlib, sys, tempfile
import PySide6.QtCore
from mxsettings.ui.import_scan import lighten_import_scan
installed = lighten_import_scan() if {lighten} else None
again = lighten_import_scan() if {lighten} else None
folder = tempfile.mkdtemp()
sys.path.insert(0, folder)
pathlib.Path(folder, "mx_scan_uses.py").write_text("# drawn with PySide6 widgets\nX = 1\n")
pathlib.Path(folder, "mx_scan_plain.py").write_text("X = 2\n")
import mx_scan_uses, mx_scan_plain
feature = sys.modules["shibokensupport.feature"]
print(json.dumps({{
    "installed": installed, "again": again,
    "flags": [feature.pyside_feature_dict.get(name) for name in ("mx_scan_uses", "mx_scan_plain")],
    "cached": sorted(pathlib.Path(name).name for name in linecache.cache if "mx_scan_" in name),
}}))
"""


def scan(*, lighten: bool) -> dict[str, object]:
    report: dict[str, object] = json.loads(run_fresh(SCAN.format(lighten=lighten)).splitlines()[-1])
    return report


def test_pyside_keeps_the_source_of_every_module_imported_after_it() -> None:
    # The cost the module works around, seen directly: without it, linecache holds each imported file.
    report = scan(lighten=False)
    assert report["cached"] == ["mx_scan_plain.py", "mx_scan_uses.py"]
    assert report["flags"] == [0, -1]  # 0: the module mentions PySide6, -1: it does not


def test_the_lighter_scan_gives_the_same_answers_and_keeps_nothing() -> None:
    report = scan(lighten=True)
    assert report["installed"] is True
    assert report["again"] is True  # a second call finds its own check in place and leaves it
    assert report["flags"] == [0, -1]
    assert report["cached"] == []


def test_without_the_private_module_nothing_is_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, import_scan.FEATURE_MODULE, raising=False)
    assert import_scan.lighten_import_scan() is False
