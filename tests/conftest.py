"""Shared pytest fixtures."""

from __future__ import annotations

import pytest

from tests.fake_sotkanet import FIXTURE_DIR, FakeSotkanet


@pytest.fixture
def fake_sotkanet():
    """A fake Sotkanet on 127.0.0.1 serving tests/fixtures/sotkanet; .url, .requests, .script()."""
    with FakeSotkanet(FIXTURE_DIR) as fake:
        yield fake


# Deterministic demo warehouses (session-scoped) and Streamlit cache hygiene.
from hypothesis import settings  # noqa: E402

from tests.warehouse_fixtures import demo_warehouse, finland_warehouse  # noqa: E402, F401

settings.register_profile("hyte", deadline=None)
settings.load_profile("hyte")


@pytest.fixture
def app_env(demo_warehouse, monkeypatch):
    """Point the dashboard at the demo warehouse with empty caches."""
    import streamlit as st

    monkeypatch.setenv("HYTE_WAREHOUSE", str(demo_warehouse))
    st.cache_data.clear()
    yield demo_warehouse
    st.cache_data.clear()


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium for a test module (skipped with the reason when missing)."""
    from tests.browser_support import launch, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture(scope="session", autouse=True)
def records_store(tmp_path_factory):
    """Every test (and every server a test starts) uses a throwaway negotiation-record store,
    never data/records.sqlite of the work tree; tests that edit records make their own."""
    import os

    path = tmp_path_factory.mktemp("records") / "records.sqlite"
    old = {k: os.environ.get(k) for k in ("HYTE_RECORDS", "HYTE_RECORDS_URL")}
    os.environ["HYTE_RECORDS"] = str(path)
    os.environ.pop("HYTE_RECORDS_URL", None)
    yield path
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="session", autouse=True)
def no_room_site():
    """Publishes in tests write no room site (about a minute each: every group and card drawn)
    into the work tree's dashboard/static; the room site's own tests set HYTE_SITE_DIR."""
    import os

    old = os.environ.get("HYTE_SITE_DIR")
    os.environ.setdefault("HYTE_SITE_DIR", "off")
    yield
    if old is None:
        os.environ.pop("HYTE_SITE_DIR", None)
    else:
        os.environ["HYTE_SITE_DIR"] = old


from tests.records_support import postgres, store_url  # noqa: E402, F401
