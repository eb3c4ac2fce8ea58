"""A missing, empty, corrupt or old-schema warehouse: one clear message on every page."""

import shutil

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.warehouse_fixtures import ROOT

APP = str(ROOT / "dashboard" / "app.py")
PAGES = [None, "views/compare.py", "views/explore.py", "views/present.py",
         "views/status.py"]


def missing(path):
    pass


def empty(path):
    path.write_bytes(b"")


def corrupt(path):
    path.write_bytes(b"DUCK" + b"\x00garbage" * 500)


def old_schema(path, source):
    shutil.copy(source, path)
    con = duckdb.connect(str(path))
    con.execute("UPDATE warehouse_meta SET value = '0' WHERE key = 'schema_version'")
    con.close()


def no_tables(path, source):
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE warehouse_meta (key VARCHAR, value VARCHAR)")
    con.execute("INSERT INTO warehouse_meta VALUES ('schema_version', '1')")
    con.close()


@pytest.mark.parametrize("state", [missing, empty, corrupt, old_schema, no_tables],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p or "overview")
def test_unusable_warehouse_gives_one_clear_message(tmp_path, monkeypatch, demo_warehouse,
                                                    state, page):
    live = tmp_path / "warehouse.duckdb"
    if state in (old_schema, no_tables):
        state(live, demo_warehouse)
    else:
        state(live)
    monkeypatch.setenv("HYTE_WAREHOUSE", str(live))
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=30)
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert "hyte ingest" in errors[0]
