#!/usr/bin/env bash
# macOS disk image from the .app that packaging/mxsettings.spec builds (dist/mxsettings.app), on a macOS
# runner: the app and a link to /Applications, so that installing is a drag. Usage: make-dmg.sh VERSION
# Unsigned: signing and notarising need the project's Apple Developer ID (codesign --deep --options runtime,
# then xcrun notarytool submit --wait and xcrun stapler staple), which CI does not have.
set -euo pipefail
version="${1:?usage: make-dmg.sh VERSION}"
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp -R dist/mxsettings.app "$stage/"
ln -s /Applications "$stage/Applications"
hdiutil create -volname "Matrix Account Settings" -srcfolder "$stage" -ov -format UDZO \
    "dist/mxsettings-${version}-macos-$(uname -m).dmg"
