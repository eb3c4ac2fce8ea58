"""CSV and Parquet downloads: Finnish Excel format, the source line, the same rows as the screen."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.i18n.formatting import NBSP
from dashboard.reports import tables as table_files

FRAME = pd.DataFrame({
    "Kunta": ["Jyväskylä", "Äänekoski", "Luhanka"],
    "Vuosi": pd.array([2024, 2024, None], dtype="Int64"),
    "Arvo": [1234.56, 7.26, math.nan],
    "Osuus": [0.123, 12.0, 3.0],
})
DECIMALS = {"Arvo": [1, 1, 1], "Osuus": [2, 0, 1]}
SOURCE = "Lähde: THL, Sotkanet (sotkanet.fi), lisenssi CC BY 4.0."


def test_rounding_is_per_row_and_screen_text_is_finnish():
    typed = table_files.rounded(FRAME, DECIMALS)
    assert list(typed["Osuus"]) == [0.12, 12.0, 3.0]
    screen = table_files.screen(typed, DECIMALS)
    assert list(screen["Arvo"]) == [f"1{NBSP}234,6", "7,3", "–"]
    assert list(screen["Osuus"]) == ["0,12", "12", "3,0"]
    assert list(screen["Vuosi"]) == ["2024", "2024", "–"]


def test_csv_is_excel_finnish_and_names_the_source():
    typed = table_files.rounded(FRAME, DECIMALS)
    data = table_files.csv_bytes(typed, SOURCE)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "# " + SOURCE
    assert lines[1] == "Kunta;Vuosi;Arvo;Osuus"
    assert lines[2].startswith("Jyväskylä;2024;1234,6;0,12")
    source, back = table_files.read_csv(data)
    assert source == SOURCE
    pd.testing.assert_frame_equal(back, typed, check_dtype=False)


def test_parquet_holds_the_same_rows_and_the_source_in_its_metadata():
    typed = table_files.rounded(FRAME, DECIMALS)
    source, back = table_files.read_parquet(table_files.parquet_bytes(typed, SOURCE))
    assert source == SOURCE
    pd.testing.assert_frame_equal(back, typed)


@pytest.mark.parametrize("bad", ["a;b", "two\nlines"])
def test_the_source_line_cannot_break_the_csv(bad):
    with pytest.raises(ValueError):
        table_files.csv_bytes(FRAME, bad)


def test_source_line_names_producers_build_and_demo_without_separators():
    line = table_files.source_line(["THL", "Tilastokeskus; Statistics", None, "THL"],
                                   "23.11.2026 klo 11.07.35 UTC", demo=True, what="Vertailu")
    assert line.startswith("Lähde: THL, Sotkanet")
    assert "Tuottajat: THL, Tilastokeskus, Statistics." in line
    assert "DEMOAINEISTO" in line and ";" not in line
    table_files.csv_bytes(FRAME, line)  # usable as is
