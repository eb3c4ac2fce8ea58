"""The dashboard's data access: read-only, no lingering connection, new data after a publish."""

import duckdb
import pytest
import streamlit as st

from dashboard import data
from dashboard.ui import warehouse as cached
from pipelines import demo, ingest, warehouse
from pipelines.config import load_config
from tests.warehouse_fixtures import ROOT

CONFIG = load_config(ROOT / "data")


@pytest.fixture
def live(tmp_path, monkeypatch):
    path = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("HYTE_WAREHOUSE", str(path))
    st.cache_data.clear()
    yield path
    st.cache_data.clear()


def _publish(path, seed):
    dataset = demo.generate(CONFIG, "county", seed=seed)
    warehouse.publish(warehouse.build(dataset, CONFIG, path), path)


def _jyvaskyla_unemployment(version):
    obs = cached.observations(version, (85,), "total", (181,))
    return obs.sort_values("year")["value"].tolist()


def test_publish_is_picked_up_on_the_next_read(live):
    _publish(live, seed=1)
    v1 = data.version()
    first = _jyvaskyla_unemployment(v1)
    _publish(live, seed=2)
    v2 = data.version()
    assert v2 != v1
    second = _jyvaskyla_unemployment(v2)
    assert second != first
    # The old version's cache entry is still the old data: keys, not time, decide.
    assert _jyvaskyla_unemployment(v1) == first


def test_no_connection_is_left_open(live):
    _publish(live, seed=1)
    cached.meta(data.version())
    cached.groups(data.version())
    # A writer can open the file, which DuckDB refuses while any connection holds it.
    con = duckdb.connect(str(live))
    con.execute("SELECT 1")
    con.close()


@pytest.mark.parametrize("setup, fragment", [
    (lambda p: None, "hyte ingest --source demo"),
    (lambda p: p.write_bytes(b""), "tyhjä"),
    (lambda p: p.write_bytes(b"this is not a database" * 100), "hyte ingest --source demo"),
])
def test_unusable_warehouse_names_the_fix(live, setup, fragment):
    setup(live)
    with pytest.raises(data.WarehouseUnavailable, match=fragment):
        cached.meta(data.version())


def test_old_schema_names_the_fix(live):
    ingest.run(CONFIG, "demo", live)
    con = duckdb.connect(str(live))
    con.execute("UPDATE warehouse_meta SET value = '0' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(data.WarehouseUnavailable, match="hyte ingest"):
        cached.meta(data.version())
