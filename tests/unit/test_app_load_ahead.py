"""What ``mxsettings`` imports ahead, in a worker thread, so that showing a saved account does not freeze.

``app.load_ahead`` must cover every module that ``build_main_window`` and ``account_pages`` import when
they run (their imports are inside the functions, to keep them off the first paint). The check runs their
own import statements, read from the source, after ``load_ahead`` has run in a thread: nothing of the app
may be left for them to load on the event loop.
"""

from __future__ import annotations

import ast
import inspect
import json
from collections.abc import Callable

from mxsettings import app
from tests.fresh_python import run_fresh


def _imports_inside(function: Callable[..., object]) -> list[str]:
    tree = ast.parse(inspect.getsource(function))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return names


def test_loading_ahead_leaves_nothing_for_the_window_and_the_pages_to_import() -> None:
    wanted = sorted({name for f in (app.build_main_window, app.account_pages) for name in _imports_inside(f)})
    assert "mxsettings.ui.pages.contact_page" in wanted  # the source is read as meant
    code = f"""
import json, sys, threading
from mxsettings import app
worker = threading.Thread(target=app.load_ahead)
worker.start()
worker.join()
before = set(sys.modules)
import importlib
for name in {wanted!r}:
    importlib.import_module(name)
print(json.dumps(sorted(m for m in set(sys.modules) - before if m.startswith("mxsettings"))))
"""
    assert json.loads(run_fresh(code).splitlines()[-1]) == []
