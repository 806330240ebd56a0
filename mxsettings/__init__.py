"""mxsettings: a desktop app for managing a Matrix account."""

__version__ = "0.1.0"
