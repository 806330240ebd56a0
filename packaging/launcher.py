"""The bundle's entry point (PyInstaller wants a script, not a console_scripts entry)."""

import sys

from mxsettings.cli import main

sys.exit(main())
