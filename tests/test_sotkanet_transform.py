"""Sotkanet transforms: raw JSON shapes to typed frames, as parametrized tables."""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipelines.config import load_config
from pipelines.sotkanet.recorded import RecordedResponses
from pipelines.sotkanet.transform import (
    TransformError,
    indicator_meta,
    observations_frame,
    regions_frame,
)

FIXTURES = Path(__file__).parent / "fixtures"


def region(rid, category, code="x", title=None, member_of=None, **extra):
    row = {"id": rid, "code": code, "category": category, "title": title or {"fi": f"R{rid}"}}
    if member_of is not None:
        row["memberOf"] = member_of
    row.update(extra)
    return row


BASE_REGIONS = [
    region(658, "MAA", "FI", {"fi": "Koko maa", "sv": "Hela landet", "en": "Finland"}),
    region(662, "MAA", "SE", {"fi": "Ruotsi"}),
    region(965, "HYVINVOINTIALUE", "15", {"fi": "Keski-Suomen hyvinvointialue"}, [658]),
    region(499, "MAAKUNTA", "13", {"fi": "Keski-Suomi"}, [658]),
    region(560, "SEUTUKUNTA", "132", {"fi": "Jyväskylän seutukunta"}, [499]),
    region(1102, "ERVA", "2", {"fi": "KYS:n erva"}, [658]),
    region(85, "KUNTA", "179", {"fi": "Jyväskylä", "sv": "Jyväskylä"}, [499, 560, 965, 1102]),
]


# -- regions -----------------------------------------------------------------------------


def test_regions_frame_columns_and_types():
    frame = regions_frame(BASE_REGIONS)
    assert list(frame.columns) == [
        "region_id",
        "code",
        "category",
        "name_fi",
        "name_sv",
        "name_en",
        "county_id",
        "maakunta_id",
    ]
    assert str(frame["region_id"].dtype) == "int64"
    assert str(frame["county_id"].dtype) == "Int64"
    assert str(frame["maakunta_id"].dtype) == "Int64"
    assert frame["region_id"].tolist() == [85, 499, 658, 965]


@pytest.mark.parametrize(
    ("rid", "expected"),
    [
        # region: (code, category, name_fi, name_sv, name_en, county_id, maakunta_id)
        (85, ("179", "KUNTA", "Jyväskylä", "Jyväskylä", "Jyväskylä", 965, 499)),
        (
            965,
            (
                "15",
                "HYVINVOINTIALUE",
                "Keski-Suomen hyvinvointialue",
                "Keski-Suomen hyvinvointialue",
                "Keski-Suomen hyvinvointialue",
                None,
                None,
            ),
        ),
        (499, ("13", "MAAKUNTA", "Keski-Suomi", "Keski-Suomi", "Keski-Suomi", None, None)),
        (658, ("FI", "MAA", "Koko maa", "Hela landet", "Finland", None, None)),
    ],
)
def test_regions_frame_rows(rid, expected):
    frame = regions_frame(BASE_REGIONS).set_index("region_id")
    row = frame.loc[rid]
    got = tuple(
        None if pd.isna(row[c]) else row[c]
        for c in ("code", "category", "name_fi", "name_sv", "name_en", "county_id", "maakunta_id")
    )
    assert got == expected


@pytest.mark.parametrize(
    ("raw", "check"),
    [
        # dropped categories and a foreign country
        (BASE_REGIONS, lambda f: {560, 1102, 662}.isdisjoint(f.region_id)),
        # ids and memberOf ids as strings
        (
            [region("85", "KUNTA", "179", member_of=["965"]), region("965", "HYVINVOINTIALUE")],
            lambda f: f.set_index("region_id").loc[85, "county_id"] == 965,
        ),
        # no memberOf at all
        ([region(85, "KUNTA", "179")], lambda f: pd.isna(f.loc[0, "county_id"])),
        # memberOf null
        (
            [region(85, "KUNTA", "179", member_of=None, memberOf=None)],
            lambda f: pd.isna(f.loc[0, "maakunta_id"]),
        ),
        # memberOf pointing at ids not in the list
        ([region(85, "KUNTA", "179", member_of=[12345])], lambda f: pd.isna(f.loc[0, "county_id"])),
        # lower-case category, extra fields
        (
            [region(85, "kunta", "179", uri="http://x", extra={"a": 1})],
            lambda f: f.loc[0, "category"] == "KUNTA",
        ),
        # numeric municipality code keeps its leading zero
        ([region(35, "KUNTA", 77)], lambda f: f.loc[0, "code"] == "077"),
        # title as a plain string; sv and en fall back to fi
        (
            [region(85, "KUNTA", "179", title="Jyväskylä")],
            lambda f: tuple(f.loc[0, ["name_fi", "name_sv", "name_en"]]) == ("Jyväskylä",) * 3,
        ),
        # title missing sv/en, null en
        (
            [region(85, "KUNTA", "179", title={"fi": "Jyväskylä", "en": None})],
            lambda f: f.loc[0, "name_en"] == "Jyväskylä",
        ),
        # another country id chosen
        (BASE_REGIONS, lambda f: True),
        # empty list gives an empty typed frame
        ([], lambda f: f.empty and str(f["region_id"].dtype) == "int64"),
    ],
)
def test_regions_frame_tolerates(raw, check):
    assert check(regions_frame(raw))


def test_regions_frame_keep_categories_and_country_id():
    frame = regions_frame(BASE_REGIONS, keep_categories=("MAA",), country_id=662)
    assert frame["region_id"].tolist() == [662]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"id": 1}, "expected a list"),
        (None, "expected a list"),
        (["x"], "not an object"),
        ([{"category": "KUNTA"}], "no integer 'id'"),
        ([{"id": "abc", "category": "KUNTA"}], "no integer 'id'"),
        ([{"id": 85, "code": "179"}], "no 'category'"),
        ([{"id": 85, "category": "  "}], "no 'category'"),
        ([region(85, "KUNTA"), region(85, "KUNTA")], "appears twice"),
    ],
)
def test_regions_frame_rejects(raw, message):
    with pytest.raises(TransformError, match=message):
        regions_frame(raw)


def test_regions_fixture_matches_config():
    """The recorded regions carry exactly the county, maakunta, country and 22 municipalities."""
    cfg = load_config(FIXTURES / "config")
    frame = regions_frame(RecordedResponses(FIXTURES / "sotkanet").regions()).set_index("region_id")
    for reg in cfg.named_regions:
        row = frame.loc[reg.region_id]
        assert (row["code"], row["category"], row["name_fi"]) == (
            reg.code,
            reg.category,
            reg.name_fi,
        )
    ks = frame[frame["county_id"] == cfg.county.region_id]
    assert sorted(ks.index) == sorted(m.region_id for m in cfg.municipalities)
    assert (ks["maakunta_id"] == cfg.maakunta.region_id).all()
    others = frame[(frame["category"] == "KUNTA") & (frame["county_id"] != cfg.county.region_id)]
    assert len(others) >= 6
    assert set(frame["category"]) == {"KUNTA", "HYVINVOINTIALUE", "MAAKUNTA", "MAA"}
    assert frame[frame["category"] == "MAA"].index.tolist() == [658]


# -- indicator metadata ----------------------------------------------------------------


FULL_META = {
    "id": 181,
    "title": {"fi": "Työttömät, % työvoimasta", "sv": "Arbetslösa", "en": "Unemployed"},
    "organization": {"id": 4, "title": {"fi": "Tilastokeskus", "en": "Statistics Finland"}},
    "description": {"fi": "Kuvaus", "sv": "Beskrivning"},
    "interpretation": {"fi": "Tulkinta"},
    "limits": {"fi": "Rajoitukset"},
    "notices": {"fi": "Huom"},
    "primaryValueType": {"code": "percent", "title": {"fi": "prosentti"}},
    "decimals": 1,
    "range": {"start": 1987, "end": 2024},
    "data-updated": "2024-03-12",
    "classifications": {"sex": {"values": ["total"]}},
}


def test_indicator_meta_full():
    assert indicator_meta(FULL_META) == {
        "title_fi": "Työttömät, % työvoimasta",
        "title_sv": "Arbetslösa",
        "title_en": "Unemployed",
        "producer": "Tilastokeskus",
        "description_fi": "Kuvaus",
        "interpretation_fi": "Tulkinta",
        "limits_fi": "Rajoitukset",
        "notices_fi": "Huom",
        "data_updated": "2024-03-12",
        "range_start": 1987,
        "range_end": 2024,
        "decimals": 1,
        "primary_value_type": "prosentti",
    }


@pytest.mark.parametrize(
    ("change", "key", "expected"),
    [
        ({"title": "Väestö 31.12."}, "title_fi", "Väestö 31.12."),
        ({"title": "Väestö 31.12."}, "title_sv", "Väestö 31.12."),
        ({"title": {"fi": "Väestö", "sv": None}}, "title_sv", "Väestö"),
        ({"title": None}, "title_fi", None),
        ({"organization": None}, "producer", None),
        ({"organization": "THL"}, "producer", "THL"),
        ({"organization": {"id": 2}}, "producer", None),
        ({"description": None}, "description_fi", None),
        ({"description": "Pelkkä teksti"}, "description_fi", "Pelkkä teksti"),
        ({"interpretation": {"sv": "bara svenska"}}, "interpretation_fi", None),
        ({"limits": {"fi": "  "}}, "limits_fi", None),
        ({"notices": ""}, "notices_fi", None),
        ({"data-updated": "2024-03-12T10:15:00"}, "data_updated", "2024-03-12"),
        ({"data-updated": "12.3.2024"}, "data_updated", "2024-03-12"),
        ({"data-updated": 1710201600000}, "data_updated", "2024-03-12"),
        ({"data-updated": "pian"}, "data_updated", None),
        ({"data-updated": None}, "data_updated", None),
        ({"range": {"start": "1990", "end": "2023"}}, "range_end", 2023),
        ({"range": {"start": 1990}}, "range_end", None),
        ({"range": None}, "range_start", None),
        ({"decimals": "2"}, "decimals", 2),
        ({"decimals": None}, "decimals", None),
        ({"primaryValueType": "lukumäärä"}, "primary_value_type", "lukumäärä"),
        ({"primaryValueType": None}, "primary_value_type", None),
        ({"unknownField": [1, 2]}, "title_fi", "Työttömät, % työvoimasta"),
    ],
)
def test_indicator_meta_tolerates(change, key, expected):
    raw = {**FULL_META, **change}
    assert indicator_meta(raw)[key] == expected


def test_indicator_meta_missing_fields():
    meta = indicator_meta({"id": 5})
    assert all(v is None for v in meta.values())


@pytest.mark.parametrize("raw", [None, [], "181", 181])
def test_indicator_meta_rejects(raw):
    with pytest.raises(TransformError, match="expected an object"):
        indicator_meta(raw)


# -- observations ----------------------------------------------------------------------


def obs(region=85, year=2020, gender="total", value=1.0, indicator=181, **extra):
    row = {"indicator": indicator, "region": region, "year": year, "gender": gender, "value": value}
    row.update(extra)
    return row


def test_observations_frame_types():
    frame, counts = observations_frame(181, [obs(absValue=12.0), obs(gender="male")])
    assert list(frame.columns) == [
        "indicator_id",
        "region_id",
        "year",
        "gender",
        "value",
        "abs_value",
    ]
    assert {c: str(t) for c, t in frame.dtypes.items() if c != "gender"} == {
        "indicator_id": "int32",
        "region_id": "int32",
        "year": "int16",
        "value": "float64",
        "abs_value": "float64",
    }
    assert frame["gender"].map(type).eq(str).all()
    assert counts == {"rows_in": 2, "rows_out": 2, "dropped_null": 0, "dropped_duplicate": 0,
                      "dropped_region_id": 0, "dropped_year": 0}


@pytest.mark.parametrize(
    ("rows", "expected", "counts"),
    [
        # rows: raw; expected: [(region, year, gender, value, abs_value)]; counts: (null, dup)
        ([obs(value=12.3, absValue=45)], [(85, 2020, "total", 12.3, 45.0)], (0, 0)),
        ([obs(value=12.3)], [(85, 2020, "total", 12.3, None)], (0, 0)),
        ([obs(value=12.3, absValue=None)], [(85, 2020, "total", 12.3, None)], (0, 0)),
        ([obs(value="12.3", absValue="45")], [(85, 2020, "total", 12.3, 45.0)], (0, 0)),
        ([obs(value="12,3")], [(85, 2020, "total", 12.3, None)], (0, 0)),
        ([obs(value="1 234,5")], [(85, 2020, "total", 1234.5, None)], (0, 0)),
        ([obs(value="\u22121,5")], [(85, 2020, "total", -1.5, None)], (0, 0)),
        ([obs(value=7, absValue="n/a")], [(85, 2020, "total", 7.0, None)], (0, 0)),
        ([obs(value=None), obs(year=2021, value=2.0)], [(85, 2021, "total", 2.0, None)], (1, 0)),
        ([obs(value="..."), obs(year=2021)], [(85, 2021, "total", 1.0, None)], (1, 0)),
        ([obs(value=float("nan"))], [], (1, 0)),
        ([obs(value="inf")], [], (1, 0)),
        ([obs(value=True)], [], (1, 0)),
        ([obs(value=1.0), obs(value=2.0)], [(85, 2020, "total", 2.0, None)], (0, 1)),
        (
            [obs(value=1.0), obs(value=1.0), obs(value=1.0)],
            [(85, 2020, "total", 1.0, None)],
            (0, 2),
        ),
        # a later null does not hide an earlier value
        ([obs(value=1.0), obs(value=None)], [(85, 2020, "total", 1.0, None)], (1, 0)),
        (
            [obs(region="85", year="2020", indicator="181", gender="Total ")],
            [(85, 2020, "total", 1.0, None)],
            (0, 0),
        ),
        ([obs(year=2020.0)], [(85, 2020, "total", 1.0, None)], (0, 0)),
        ([obs(extra_field="x", regionTitle="Jyväskylä")], [(85, 2020, "total", 1.0, None)], (0, 0)),
        (
            [obs(region=85, year=2021), obs(region=35, year=2020, gender="female")],
            [(35, 2020, "female", 1.0, None), (85, 2021, "total", 1.0, None)],
            (0, 0),
        ),
        ([], [], (0, 0)),
    ],
)
def test_observations_frame_rows(rows, expected, counts):
    frame, got = observations_frame(181, rows)
    as_tuples = [
        (r.region_id, r.year, r.gender, r.value, None if math.isnan(r.abs_value) else r.abs_value)
        for r in frame.itertuples()
    ]
    assert as_tuples == expected
    assert (got["dropped_null"], got["dropped_duplicate"]) == counts
    assert got["rows_in"] == len(rows)
    assert got["rows_out"] == len(frame) == got["rows_in"] - sum(counts)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({"indicator": 181}, "expected a list of rows"),
        (None, "expected a list of rows"),
        ([obs(), "row"], "row #1 is str"),
        ([obs(indicator=182)], r"1 rows belong to another indicator \(\[182\]\)"),
        ([{"indicator": 181, "year": 2020, "gender": "total", "value": 1}], "no 'region' field"),
        ([{"indicator": 181, "region": 85, "gender": "total", "value": 1}], "no 'year' field"),
        ([{"indicator": 181, "region": 85, "year": 2020, "gender": "total"}], "no 'value' field"),
        (
            [obs(), {"indicator": 181, "region": 85, "year": 2021, "value": 1}],
            "1 rows lack 'gender'",
        ),
        ([obs(region=None)], "rows lack 'region'"),
        ([obs(region="Jyväskylä")], "'region' is not an integer"),
        ([obs(year=2020.5)], "'year' is not an integer"),
        ([obs(gender="both")], "unknown gender"),
    ],
)
def test_observations_frame_rejects(rows, message):
    with pytest.raises(TransformError, match=message):
        observations_frame(181, rows)


def test_observations_frame_error_names_indicator():
    with pytest.raises(TransformError, match="^data of indicator 181: "):
        observations_frame(181, [obs(indicator=5)])


def test_observations_fixture_quirks():
    src = RecordedResponses(FIXTURES / "sotkanet")
    years = range(2015, 2025)
    frame, counts = observations_frame(2458, src.data(2458, years))
    assert (counts["dropped_null"], counts["dropped_duplicate"]) == (1, 1)
    frame, counts = observations_frame(181, src.data(181, years))
    assert counts["rows_out"] == counts["rows_in"]
    assert frame["abs_value"].isna().sum() > 0  # rows without absValue
    frame, _ = observations_frame(4, src.data(4, years))
    assert {208, 132}.isdisjoint(frame["region_id"])  # Luhanka and Kinnula are suppressed


def test_observations_frame_is_fast():
    rng = np.random.default_rng(1)
    n = 300_000
    regions = rng.integers(1, 1000, n)
    rows = [
        {
            "indicator": 181,
            "region": int(r),
            "year": 2000 + i % 25,
            "gender": ("total", "male", "female")[i % 3],
            "value": float(i % 97) / 3,
            "absValue": i % 50,
        }
        for i, r in enumerate(regions)
    ]
    rows[10]["value"] = "12,5"
    start = time.perf_counter()
    frame, counts = observations_frame(181, rows)
    elapsed = time.perf_counter() - start
    assert counts["rows_in"] == n
    assert counts["rows_out"] + counts["dropped_duplicate"] + counts["dropped_null"] == n
    assert not frame.duplicated(["region_id", "year", "gender"]).any()
    assert elapsed < 5, f"observations_frame took {elapsed:.1f} s for {n} rows"


# -- ids and years out of range: dropped and counted, never cast onto another region -----


@pytest.mark.parametrize(
    ("rows", "kept", "region_drops", "year_drops"),
    [
        # 2**32 + 85 once wrapped to 85 (Jyväskylä) and replaced its value.
        ([obs(region=85, value=1.0), obs(region=2**32 + 85, value=99.0)], [(85, 1.0)], 1, 0),
        ([obs(region=2**32 + 179)], [], 1, 0),
        ([obs(region=-85), obs(region=0), obs(region=2**31)], [], 3, 0),
        ([obs(region=2**31 - 1)], [(2**31 - 1, 1.0)], 0, 0),
        ([obs(region=str(2**32 + 85))], [], 1, 0),
        ([obs(region=10**30)], [], 1, 0),
        ([obs(year=-2020), obs(year=10**30), obs(year=1e30), obs(year=20200)], [], 0, 4),
        ([obs(year=2**16 + 2020)], [], 0, 1),  # would wrap to 2020 as a 16-bit year
        ([obs(year=1899), obs(year=2101), obs(year=1900)], [(85, 1.0)], 0, 2),
    ],
)
def test_out_of_range_ids_and_years_are_dropped_and_counted(rows, kept, region_drops,
                                                          year_drops):
    frame, counts = observations_frame(181, rows)
    assert list(zip(frame["region_id"].tolist(), frame["value"].tolist(), strict=True)) == kept
    assert counts["dropped_region_id"] == region_drops
    assert counts["dropped_year"] == year_drops


def test_a_region_id_beyond_32_bits_in_regions_fails_the_run():
    raw = [{"id": 2**32 + 85, "code": "179", "category": "KUNTA", "title": {"fi": "X"}}]
    with pytest.raises(TransformError, match=r"region id 4294967381 .* outside 1\.\.2147483647"):
        regions_frame(raw)


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.lists(st.tuples(st.one_of(st.integers(-2**70, 2**70), st.integers(0, 500)),
                          st.integers(1900, 2100), st.floats(0, 100)),
                min_size=1, max_size=40))
def test_no_row_lands_on_another_region(rows):
    """Whatever ids arrive, every kept row carries exactly the id it came with."""
    raw = [obs(region=r, year=y, value=v) for r, y, v in rows]
    frame, counts = observations_frame(181, raw)
    sent = {}
    for r, y, v in rows:
        sent[(r, y)] = v  # the last of duplicate keys wins
    for rid, year, value in zip(frame["region_id"], frame["year"], frame["value"], strict=True):
        assert (int(rid), int(year)) in sent
        assert sent[(int(rid), int(year))] == value
    in_range = {(r, y) for r, y, _v in rows if 1 <= r <= 2**31 - 1}
    assert len(frame) == len(in_range)
    assert counts["dropped_region_id"] == sum(1 for r, _y, _v in rows if not 1 <= r <= 2**31 - 1)
