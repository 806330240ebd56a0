# mxsettings build entry points. `make test` is what CI runs (via .ci/run).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
SYNAPSE_VENV := .synapse-venv
SYNAPSE_VERSION := 1.163.2
# [oidc] pulls authlib (which requires joserfc): Synapse refuses an oidc_providers config without it.
SYNAPSE_EXTRAS := oidc
SYNAPSE_STAMP := $(SYNAPSE_VENV)/.installed-$(SYNAPSE_VERSION)-$(SYNAPSE_EXTRAS)
BIN := $(VENV)/bin
# The SSO tests' OpenID provider (oidc-provider on Node.js); its node_modules is made by `make node-deps`.
OIDC_PROVIDER_DIR := tests/harness/oidc_provider
NODE_STAMP := $(OIDC_PROVIDER_DIR)/node_modules/.installed

# Debian 12 packages the tests need: Qt offscreen + xcb/Xvfb (qt-test-notes §2, §9), a D-Bus session and a
# Secret Service for keyring (§5), python3-venv for `python3 -m venv` with Debian's python, and the
# validators of the desktop files (desktop-file-validate, appstreamcli).
SYSTEM_DEPS := python3 python3-venv ca-certificates \
	libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libxkbcommon0 \
	xvfb xauth \
	libxcb1 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 \
	libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 \
	libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0 \
	dbus-daemon gnome-keyring \
	desktop-file-utils appstream

.PHONY: all venv synapse-venv node-deps system-deps lint test run demo clean distclean
.PHONY: translations translations-update package package-check validate-desktop screenshots ui-names bench fuzz

all: venv

# Translations: .ts sources in resources/translations, compiled into mxsettings/translations/ (not committed).
TS_FILES := $(wildcard resources/translations/*.ts)
QM_FILES := $(TS_FILES:resources/translations/%.ts=mxsettings/translations/%.qm)
# The app's only sources of user-visible text: its Qt layer and the composition root.
I18N_SOURCES = mxsettings/app.py $(shell find mxsettings/ui -name '*.py' | sort)
APP_ID := io.github.mxsettings.MxSettings
# The bundler, installed into .venv by `make package` (pinned: its hooks decide what goes into the bundle).
PYINSTALLER_VERSION := 6.22.3
PYINSTALLER_STAMP := $(VENV)/.pyinstaller-$(PYINSTALLER_VERSION)

venv: $(VENV)/.installed $(QM_FILES)

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -e '.[test]'
	@touch $@

synapse-venv: $(SYNAPSE_STAMP)

# The stamp names the version and the extras, so a venv made before a change of either is topped up.
$(SYNAPSE_STAMP):
	@test -x $(SYNAPSE_VENV)/bin/python || $(PYTHON) -m venv $(SYNAPSE_VENV)
	$(SYNAPSE_VENV)/bin/python -m pip install --disable-pip-version-check -q \
		"matrix-synapse[$(SYNAPSE_EXTRAS)]==$(SYNAPSE_VERSION)"
	@rm -f $(SYNAPSE_VENV)/.installed-*
	@touch $@

# npm ci installs exactly package-lock.json; it runs again when package.json or the lock changes.
# oidc-provider 9 calls crypto.hash, which Node.js has since 20.12 (Debian 12's own nodejs 18 is too old).
node-deps: $(NODE_STAMP)

$(NODE_STAMP): $(OIDC_PROVIDER_DIR)/package.json $(OIDC_PROVIDER_DIR)/package-lock.json
	@if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then \
		echo "node-deps: Node.js (20.12 or newer) and npm are needed for the SSO tests' OpenID provider" >&2; \
		exit 1; \
	fi; \
	if ! node -e 'process.exit(typeof require("node:crypto").hash === "function" ? 0 : 1)'; then \
		echo "node-deps: Node.js $$(node --version) is too old; oidc-provider needs 20.12 or newer" >&2; \
		exit 1; \
	fi
	cd $(OIDC_PROVIDER_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Installs missing Debian packages when run as root with apt-get; otherwise lists them and fails.
# SKIP_SYSTEM_DEPS=1 skips the check (non-Debian machines that provide the libraries another way).
system-deps:
	@if [ -n "$${SKIP_SYSTEM_DEPS:-}" ]; then echo "system-deps: skipped (SKIP_SYSTEM_DEPS set)"; exit 0; fi; \
	missing=""; \
	for pkg in $(SYSTEM_DEPS); do \
		status=$$(dpkg-query -W -f='$${db:Status-Status}' "$$pkg" 2>/dev/null || true); \
		[ "$$status" = installed ] || missing="$$missing $$pkg"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "system-deps: installing$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -q && apt-get install -y -q --no-install-recommends $$missing; \
	else \
		echo "system-deps: missing Debian packages:$$missing" >&2; \
		echo "Install them as root: apt-get install --no-install-recommends$$missing" >&2; \
		echo "(or set SKIP_SYSTEM_DEPS=1 if your system provides them otherwise)" >&2; \
		exit 1; \
	fi

lint: venv
	$(BIN)/ruff check mxsettings tests bench
	$(BIN)/ruff format --check mxsettings tests bench
	$(BIN)/mypy --strict mxsettings

# PYTEST_ARGS="-k smoke tests/integration" narrows the run.
test: system-deps venv synapse-venv node-deps
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory validate-desktop
	bash scripts/run-tests.sh $(PYTEST_ARGS)
	@$(MAKE) --no-print-directory package-check

# Start-up, memory, responsiveness and round trips against a bare PySide6 floor (not part of `make test`):
# prints the table, writes docs/performance.md, and fails when a goal is missed. Run it on a quiet machine.
bench: system-deps venv synapse-venv
	bash scripts/run-bench.sh --write $(BENCH_ARGS)

# The property tests (parsers, UIA engine and driver, error catalogue) with Hypothesis's "fuzz" profile: 2,000
# random examples each (MXSETTINGS_FUZZ_EXAMPLES=N for more) instead of the 200 reproducible ones of
# `make test`, no per-test timeout. For manual runs (about 4 minutes here); failures are kept in .hypothesis/
# and replayed first by the next run.
FUZZ_TESTS := tests/unit/test_parsers_fuzz.py tests/unit/test_uia_fuzz.py tests/unit/test_uia.py \
	tests/ui/test_error_text.py
fuzz: venv
	HYPOTHESIS_PROFILE=fuzz QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -p no:cacheprovider -q \
		--timeout=0 $(FUZZ_TESTS) $(PYTEST_ARGS)

# A throwaway Synapse and mail sink with a demo account; the app starts signed in to it.
demo: venv synapse-venv
	$(BIN)/python scripts/demo.py

run: venv
	$(BIN)/mxsettings

translations: $(QM_FILES)

mxsettings/translations/%.qm: resources/translations/%.ts $(VENV)/.installed
	@mkdir -p $(@D)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

# After changing texts: new strings appear in every .ts as unfinished (the tests fail until translated).
translations-update: venv
	$(BIN)/pyside6-lupdate -locations none $(I18N_SOURCES) -ts $(TS_FILES)

$(PYINSTALLER_STAMP): $(VENV)/.installed
	$(BIN)/python -m pip install --disable-pip-version-check -q "pyinstaller==$(PYINSTALLER_VERSION)"
	@rm -f $(VENV)/.pyinstaller-*
	@touch $@

# dist/mxsettings/ (PyInstaller onedir) and dist/mxsettings-<version>-linux-<machine>.tar.gz.
package: venv $(PYINSTALLER_STAMP)
	$(BIN)/python packaging/build.py bundle tarball

# The bundle's --version and --self-check, run without the venv (a bare PATH, a fresh HOME).
package-check: package
	$(BIN)/python packaging/build.py check

validate-desktop: system-deps
	desktop-file-validate packaging/linux/$(APP_ID).desktop
	appstreamcli validate --no-net packaging/linux/$(APP_ID).metainfo.xml

# Light and dark pictures of every page and dialog (the fake homeserver; no network).
screenshots: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py docs/screenshots

# docs/ui-names.md: every input and button by objectName with its accessible name.
ui-names: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/ui_names.py docs/ui-names.md

clean:
	rm -rf build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache .hypothesis mxsettings/translations
	find mxsettings tests -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) $(SYNAPSE_VENV) $(OIDC_PROVIDER_DIR)/node_modules
