"""Deterministic test warehouses, built the way production builds them (datasette's fixtures.py idea)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines import ingest
from pipelines.config import load_config

ROOT = Path(__file__).resolve().parent.parent


def build_demo(path: Path, size: str = "county") -> Path:
    ingest.run(load_config(ROOT / "data"), "demo", path, demo_size=size)
    return path


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    """A demo warehouse of the shipped configuration; tests must not modify it."""
    return build_demo(tmp_path_factory.mktemp("wh") / "warehouse.duckdb")


@pytest.fixture(scope="session")
def finland_warehouse(tmp_path_factory) -> Path:
    return build_demo(tmp_path_factory.mktemp("whf") / "warehouse.duckdb", "finland")
