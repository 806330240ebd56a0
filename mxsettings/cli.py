"""Command-line entry point. Kept free of Qt so ``mxsettings --version`` answers at once."""

from __future__ import annotations

import argparse
import sys

from mxsettings import __version__


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="mxsettings", description="Manage your Matrix account.")
    parser.add_argument("--version", action="version", version=f"mxsettings {__version__}")
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="check that this installation has everything it needs (Qt plugins, keyring, TLS, translations)",
    )
    # The password strength meter's helper process (services/strength.py): started by the app, not by people.
    parser.add_argument("--strength-worker", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.strength_worker:
        from mxsettings.services.strength import serve_standard_streams

        return serve_standard_streams()
    if args.self_check:
        from mxsettings.ui.self_check import self_check

        return self_check()
    from mxsettings.app import run  # Qt loads only when a window is wanted

    return run()


if __name__ == "__main__":
    sys.exit(main())
