"""A half-written, missing or misplaced live warehouse: one clear message, no server paths.

dashboard/data.py is the dashboard's only door to DuckDB; a truncated file opens and then
fails on the first block it lacks, which used to reach the page as a raw
`_duckdb.IOException` naming the absolute path.
"""

from __future__ import annotations

import os
import shutil

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import data
from tests.warehouse_fixtures import ROOT

APP = str(ROOT / "dashboard" / "app.py")


@pytest.fixture
def live(tmp_path, monkeypatch, demo_warehouse):
    path = tmp_path / "secret-server-dir" / "warehouse.duckdb"
    path.parent.mkdir()
    shutil.copy(demo_warehouse, path)
    monkeypatch.setenv("HYTE_WAREHOUSE", str(path))
    st.cache_data.clear()
    yield path
    st.cache_data.clear()


def assert_clear(message: str) -> None:
    assert "hyte ingest" in message
    assert "warehouse.duckdb" in message  # the file's name ...
    assert "secret-server-dir" not in message and "/tmp" not in message  # ... never its path
    assert "\x1b" not in message


def test_a_truncated_file_is_the_clear_message_on_every_read(live):
    os.truncate(live, live.stat().st_size // 2)
    version = data.version()
    with pytest.raises(data.WarehouseUnavailable) as caught:
        catalogue = data.catalogue(version)
        munis = tuple(int(r) for r in catalogue["regions"]["region_id"])
        data.observations(version, munis)
    assert "ei voi lukea" in str(caught.value)
    assert_clear(str(caught.value))


def test_a_truncated_file_reads_through_query_many_too(live):
    os.truncate(live, live.stat().st_size // 2)
    with pytest.raises(data.WarehouseUnavailable) as caught:
        data.query_many([("SELECT sum(value) FROM observation", None)])
    assert_clear(str(caught.value))


@pytest.mark.parametrize("state", ["missing", "directory", "empty", "garbage"])
def test_unusable_files_name_the_file_only(live, state):
    if state == "missing":
        live.unlink()
    elif state == "directory":
        live.unlink()
        live.mkdir()
    elif state == "empty":
        live.write_bytes(b"")
    else:
        live.write_bytes(b"DUCK" + b"\x00garbage" * 500)
    with pytest.raises(data.WarehouseUnavailable) as caught:
        data.catalogue(data.version())
    assert_clear(str(caught.value))


def test_read_only_connections_never_load_or_install_extensions(live):
    with data._connection() as con:
        settings = dict(con.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN "
            "('autoload_known_extensions', 'autoinstall_known_extensions')").fetchall())
    assert settings == {"autoload_known_extensions": "false",
                        "autoinstall_known_extensions": "false"}


def test_the_overview_on_a_truncated_file_shows_one_clear_error(live):
    os.truncate(live, live.stat().st_size // 2)
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert_clear(errors[0].replace("\\", ""))  # the frame escapes it for Markdown
