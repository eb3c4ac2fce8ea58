"""Checking the indicator catalogue against (recorded) Sotkanet answers."""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path

import pytest

from pipelines.config import load_config
from pipelines.sotkanet.catalog_check import (
    Finding,
    check_catalogue,
    format_findings,
    normalise_title,
    title_overlap,
)
from pipelines.sotkanet.client import SotkanetError
from pipelines.sotkanet.recorded import RecordedResponses

FIXTURES = Path(__file__).parent / "fixtures"
CATALOGUE = load_config(FIXTURES / "config").indicators


class EditedSource:
    """Recorded responses with some answers changed, to stage each finding."""

    def __init__(self, *, drop=(), meta=None, data=None, fail=()):
        self.base = RecordedResponses(FIXTURES / "sotkanet")
        self.drop, self.meta, self.data_rows, self.fail = set(drop), meta or {}, data or {}, fail
        self.data_calls: list[tuple] = []

    def regions(self):
        return self.base.regions()

    def indicators(self):
        return [i for i in self.base.indicators() if i["id"] not in self.drop]

    def indicator(self, indicator_id):
        if indicator_id in self.fail:
            raise SotkanetError(f"metadata of indicator {indicator_id}", "/x", "HTTP 500")
        raw = copy.deepcopy(self.base.indicator(indicator_id))
        for key, value in self.meta.get(indicator_id, {}).items():
            raw[key] = value
        return raw

    def data(self, indicator_id, years, genders=("total", "male", "female")):
        self.data_calls.append((indicator_id, list(years), tuple(genders)))
        if indicator_id in self.data_rows:
            return self.data_rows[indicator_id]
        return self.base.data(indicator_id, years, genders)


def statuses(findings):
    return {f.indicator_id: f.status for f in findings}


def test_fixture_catalogue_is_all_found():
    findings = check_catalogue(CATALOGUE, RecordedResponses(FIXTURES / "sotkanet"))
    assert [f.indicator_id for f in findings] == [127, 181, 2458, 4, 3090]
    assert all(f.status == "found" for f in findings), format_findings(findings)


@pytest.mark.parametrize(
    ("source", "indicator_id", "status", "detail"),
    [
        (EditedSource(drop={181}), 181, "missing", "not in Sotkanet's indicator list"),
        (
            EditedSource(meta={4: {"range": {"start": 1996, "end": 2016}}}),
            4,
            "discontinued",
            "last year 2016",
        ),
        (
            EditedSource(meta={4: {"range": {"start": 1996, "end": "2019"}}}),
            4,
            "discontinued",
            "2019",
        ),
        (
            EditedSource(meta={181: {"title": {"fi": "Huoltosuhde, taloudellinen"}}}),
            181,
            "title_differs",
            "'Työttömät, % työvoimasta' vs Sotkanet 'Huoltosuhde, taloudellinen'",
        ),
        (EditedSource(meta={127: {"title": None}}), 127, "title_differs", "vs Sotkanet ''"),
        (
            EditedSource(
                data={
                    3090: [
                        {
                            "indicator": 3090,
                            "region": 965,
                            "year": 2024,
                            "gender": "total",
                            "value": 0.3,
                        },
                        {
                            "indicator": 3090,
                            "region": 658,
                            "year": 2024,
                            "gender": "total",
                            "value": 0.2,
                        },
                    ]
                }
            ),
            3090,
            "county_only",
            "no municipality rows in 2024",
        ),
        (EditedSource(data={3090: []}), 3090, "county_only", "coverage=municipality"),
        (EditedSource(fail={2458}), 2458, "error", "HTTP 500"),
    ],
)
def test_findings(source, indicator_id, status, detail):
    findings = check_catalogue(CATALOGUE, source)
    got = {f.indicator_id: f for f in findings}[indicator_id]
    assert got.status == status
    assert detail in got.detail
    others = {i: s for i, s in statuses(findings).items() if i != indicator_id}
    assert set(others.values()) == {"found"}


def test_missing_wins_over_everything_and_is_not_fetched():
    source = EditedSource(drop={4}, fail={4})
    assert statuses(check_catalogue(CATALOGUE, source))[4] == "missing"


def test_county_only_checks_last_year_at_total():
    source = EditedSource()
    check_catalogue(CATALOGUE, source)
    assert (3090, [2024], ("total",)) in source.data_calls


def test_county_coverage_skips_the_municipality_check():
    catalogue = [replace(ind, coverage="county") for ind in CATALOGUE]
    source = EditedSource(data={3090: []})
    assert set(statuses(check_catalogue(catalogue, source)).values()) == {"found"}
    assert source.data_calls == []


def test_title_with_dash_and_spacing_variants_matches():
    # catalogue: "0–17-vuotiaat" (en dash), Sotkanet: "0-17-vuotiaat"; "1000" vs "1 000"
    source = EditedSource()
    findings = {f.indicator_id: f for f in check_catalogue(CATALOGUE, source)}
    assert findings[4].status == "found"
    assert findings[2458].status == "found"


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        ("Väestö 31.12.", "Väestö 31.12.", 1.0, 1.0),
        ("Työttömät, % työvoimasta", "TYÖTTÖMÄT,  %  työvoimasta", 1.0, 1.0),
        ("0–17-vuotiaat / 1000", "0-17-vuotiaat / 1000", 1.0, 1.0),
        ("0—17-vuotiaat", "0 - 17 -vuotiaat", 1.0, 1.0),
        ("Väestö 31.12.", "Väestö 31.12., ennakkotieto", 1.0, 1.0),
        ("Työttömät, % työvoimasta", "Huoltosuhde, taloudellinen", 0.0, 0.0),
        (
            "Perusterveydenhuollon mielenterveyskäynnit / 1000 asukasta",
            "Perusterveydenhuollon mielenterveyskäynnit / 1 000 asukasta",
            0.7,
            0.8,
        ),
        ("", "Väestö", 0.0, 0.0),
    ],
)
def test_title_overlap(a, b, low, high):
    assert low <= title_overlap(a, b) <= high


def test_normalise_title():
    assert normalise_title("  Mielenterveys–  JA\u2014päihteet ") == "mielenterveys- ja-päihteet"


def test_format_findings_table():
    findings = [
        Finding(127, "Väestö 31.12.", "found", "'Väestö 31.12.', 1990–2024"),
        Finding(9999, "Kadonnut", "missing", "id not in Sotkanet's indicator list"),
        Finding(
            4,
            "Mielenterveyden häiriöihin sairaalahoitoa saaneet 0–17-vuotiaat " * 2,
            "title_differs",
            "catalogue 'x' vs Sotkanet 'y'",
        ),
    ]
    text = format_findings(findings)
    lines = text.splitlines()
    assert lines[0].split() == ["id", "status", "name", "detail"]
    # problems first, found last, long names shortened
    assert "9999" in lines[2] and "missing" in lines[2]
    assert "title_differs" in lines[3] and "…" in lines[3]
    assert "127" in lines[4]
    assert lines[-1] == "1 found, 1 missing, 1 title_differs"
    assert format_findings([]) == "No indicators checked."


def test_missing_and_renamed_entries_get_replacements_by_title_similarity():
    """A synthetic catalogue: an entry whose id is gone and whose title Sotkanet now lists
    under another id gets that id suggested first; the table prints it."""
    from pipelines.sotkanet.catalog_check import suggest

    listing = [{"id": 3000 + k, "title": {"fi": t}} for k, t in enumerate([
        "Yksinäisyyttä kokevat 20–64-vuotiaat, %",
        "Yksinäisyyttä kokevat 65 vuotta täyttäneet, %",
        "Tupakoivat 20–64-vuotiaat, %"])]

    class Source:
        def indicators(self):
            return listing

    entry = replace(CATALOGUE[0], indicator_id=9999,
                    name_fi="Yksinäisyyttä kokevat 20-64 -vuotiaat (%)")
    [finding] = check_catalogue([entry], Source())
    assert finding.status == "missing"
    assert [s[0] for s in finding.suggestions][:2] == [3000, 3001]
    assert finding.suggestions[0][2] > finding.suggestions[1][2] >= 0.6
    assert "maybe 3000: 'Yksinäisyyttä kokevat 20–64-vuotiaat, %'" in format_findings([finding])
    assert suggest("täysin muuta", {1: "Tupakoivat 20–64-vuotiaat, %"}) == ()
