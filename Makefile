# Two commands: `make run` (dashboard) and `make test` (whole test suite).
# Needs only Python 3.11+, pip, git and make; everything else is installed into .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test setup browser postgres nginx lint bench clean i18n

run: setup
	$(BIN)/hyte serve

test: setup browser postgres nginx
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

# The record store's PostgreSQL tests start a throwaway cluster (tests/records_support.py)
# from Debian's postgresql; without it they are skipped with the reason shown.
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian postgresql for the record store's tests …"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
	  || echo "could not install postgresql: its tests will be skipped (reason shown by pytest)"; \
	else echo "no PostgreSQL and not root: its tests will be skipped (reason shown by pytest)"; fi

# The proxy test runs the README's nginx block in front of the app (tests/test_proxy_config.py)
# with Debian's nginx; without it that test is skipped with the reason shown.
nginx:
	@if [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian nginx-light for the proxy test …"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null) \
	  || echo "could not install nginx: the proxy test will be skipped (reason shown by pytest)"; \
	else echo "no nginx and not root: the proxy test will be skipped (reason shown by pytest)"; fi

# Message catalogues: extract every _()/N_()/ngettext() of each dashboard layer (one gettext
# domain per layer; app.py belongs to views) and merge into the sv and en catalogues. New
# texts arrive empty, changed ones fuzzy: translate them, then `make test` checks the result.
I18N_DOMAINS := views ui reports charts model records i18n
LOCALES := dashboard/i18n/locales
i18n: setup
	@mkdir -p $(LOCALES)/templates
	@for d in $(I18N_DOMAINS); do \
	  src="dashboard/$$d"; [ "$$d" = views ] && src="$$src dashboard/app.py"; \
	  [ "$$d" = i18n ] && src="$$src dashboard/data.py"; \
	  $(BIN)/pybabel -q extract --no-default-keywords -k _ -k N_ -k ngettext:1,2 --add-location=file --no-wrap \
	    --sort-output --project=hyte-tilannekuva -o $(LOCALES)/templates/$$d.pot $$src || exit 1; \
	  for l in sv en; do \
	    if [ -f $(LOCALES)/$$l/LC_MESSAGES/$$d.po ]; then \
	      $(BIN)/pybabel -q update --ignore-obsolete --no-wrap -D $$d -l $$l -i $(LOCALES)/templates/$$d.pot -d $(LOCALES) || exit 1; \
	    else $(BIN)/pybabel -q init --no-wrap -D $$d -l $$l -i $(LOCALES)/templates/$$d.pot -d $(LOCALES) || exit 1; fi; \
	  done; \
	done
	@rm -rf $(LOCALES)/templates
	@# creation dates would make every run a change in every catalogue
	@sed -i '/^"POT-Creation-Date: /d; /^"PO-Revision-Date: /d' $(LOCALES)/*/LC_MESSAGES/*.po

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) data/build data/cache
