import sys

from mxsettings.cli import main

sys.exit(main())
