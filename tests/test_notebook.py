"""The analyst notebook runs top to bottom against a demo warehouse, so it cannot rot."""

from __future__ import annotations

import json
import sys

import nbformat
import pytest
from nbclient import NotebookClient

from tests.warehouse_fixtures import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
KERNEL = "hyte-venv"


@pytest.fixture
def venv_kernel(tmp_path, monkeypatch):
    """A kernel spec that launches this interpreter (the venv), found before any other."""
    spec = tmp_path / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "HYTE venv", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    return KERNEL


def test_there_is_a_notebook():
    assert NOTEBOOKS, "notebooks/ should hold the analyst notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes_against_the_demo_warehouse(path, demo_warehouse, venv_kernel,
                                                      monkeypatch):
    monkeypatch.setenv("HYTE_WAREHOUSE", str(demo_warehouse))
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name=venv_kernel, timeout=120,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    # It read the warehouse we gave it, and drew Vega-Lite charts in the Finnish locale.
    text = json.dumps([o.get("text", "") for o in outputs])
    assert str(demo_warehouse) in text
    charts = [o["data"]["text/html"] for o in outputs
              if "vegaEmbed" in o.get("data", {}).get("text/html", "")]
    assert len(charts) >= 2
    for html in charts:
        assert '"decimal": ","' in html


def test_notebooks_are_stored_without_outputs():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), path
