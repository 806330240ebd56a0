"""Running a few lines in a fresh interpreter: what a module imports, or leaves to import, shows there."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_fresh(code: str) -> str:
    """Run ``code`` with this interpreter in the repository root; its standard output, stripped.

    A failure (non-zero exit, or more than a minute) raises, with the child's output attached.
    """
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True, timeout=60
    )
    return done.stdout.strip()
