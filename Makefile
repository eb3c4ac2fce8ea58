# Two commands: `make run` (dashboard) and `make test` (whole test suite).
# Needs only Python 3.11+, pip, git and make; everything else is installed into .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test setup browser lint bench clean

run: setup
	$(BIN)/hyte serve

test: setup browser
	$(BIN)/pytest

setup: $(STAMP)

$(STAMP):
	@# Debian's python3 lacks ensurepip unless python3-venv is installed: fall back to virtualenv.
	$(PYTHON) -m venv $(VENV) 2>/dev/null || { rm -rf $(VENV); \
	  $(PYTHON) -m pip install --user --quiet --break-system-packages virtualenv 2>/dev/null || \
	  $(PYTHON) -m pip install --user --quiet virtualenv; \
	  $(PYTHON) -m virtualenv --quiet $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

# Browser tests use Debian's Chromium (Playwright cannot download its own here).
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian chromium for the browser tests …"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "could not install chromium: browser tests will be skipped (reason shown by pytest)"; \
	else echo "no /usr/bin/chromium and not root: browser tests will be skipped (reason shown by pytest)"; fi

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) data/build data/cache
