"""The NGO picture's suppression and round comparison (model.ngo), and the files built on it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import data
from dashboard.i18n.catalog import use
from dashboard.model import ngo
from dashboard.reports import ngo_table, tables

A, B, C = 101, 102, 103  # region ids of a made-up three-municipality group


def answers(orgs: list[dict], year: int = 2025, survey: str = "s") -> dict[str, pd.DataFrame]:
    """Frames shaped like data.ngo_answers from a list of organisations."""
    o, reg, act, tgt, pri = [], [], [], [], []
    for i, org in enumerate(orgs, start=1):
        oid = f"o{i:04d}"
        o.append({"survey_id": survey, "org_id": oid, "org_type": org.get("type"),
                  "members": org.get("members", 10), "volunteers": org.get("volunteers", 2),
                  "paid_staff": 0, "coop_municipality": org.get("coop", 3),
                  "coop_county": org.get("coop_county"), "coop_parish": None})
        reg += [{"survey_id": survey, "org_id": oid, "region_id": r} for r in org["regions"]]
        act += [{"survey_id": survey, "org_id": oid, "code": c} for c in org.get("acts", ())]
        tgt += [{"survey_id": survey, "org_id": oid, "code": c} for c in org.get("targets", ())]
        pri += [{"survey_id": survey, "org_id": oid, "code": c} for c in org.get("pri", ())]
    return {
        "surveys": pd.DataFrame([{"survey_id": survey, "name": "Testikysely", "round_year": year,
                                  "file_name": "x.xlsx", "organisations": len(orgs),
                                  "is_demo": False}]),
        "orgs": pd.DataFrame(o), "regions": pd.DataFrame(reg),
        "activities": pd.DataFrame(act, columns=["survey_id", "org_id", "code"]),
        "targets": pd.DataFrame(tgt, columns=["survey_id", "org_id", "code"]),
        "priorities": pd.DataFrame(pri, columns=["survey_id", "org_id", "code"]),
    }


def merged(*parts) -> ngo.Answers:
    return ngo.Answers({k: pd.concat([p[k] for p in parts], ignore_index=True)
                        for k in parts[0]})


NAMES = {A: "Aa", B: "Bee", C: "Cee"}


@pytest.mark.parametrize("n, shown", [(0, 0), (1, None), (4, None), (5, 5), (120, 120)])
def test_suppress(n, shown):
    assert ngo.suppress(n) == shown
    assert ngo.count_text(ngo.suppress(n)) == ("< 5" if shown is None else str(n))


def test_fewer_than_five_in_the_area_shows_nothing_but_that():
    ans = ngo.Answers(answers([{"regions": [A], "type": "muu"}] * 4
                              + [{"regions": [B], "type": "muu"}] * 9))
    p = ngo.picture(ans, "s", (A,), "Aa", NAMES)
    assert p.n is None and not p.shown
    assert p.activities.empty and p.types.empty and p.cooperation.empty
    assert "alle 5" in p.headline()
    assert ngo.picture(ans, "s", (A, B), "AB", NAMES).n == 13


def test_small_activity_counts_are_text_never_numbers():
    orgs = ([{"regions": [A], "acts": ["liikunta", "vertaistuki"], "type": "urheiluseura"}] * 3
            + [{"regions": [A], "acts": ["liikunta"], "type": "urheiluseura"}] * 6)
    p = ngo.picture(ngo.Answers(answers(orgs)), "s", (A,), "Aa", NAMES)
    acts = p.activities.set_index("code")
    assert acts.loc["liikunta", "count"] == 9 and acts.loc["liikunta", "text"] == "9"
    assert acts.loc["vertaistuki", "text"] == "< 5"
    assert pd.isna(acts.loc["vertaistuki", "count"]) and pd.isna(acts.loc["vertaistuki", "share"])
    assert acts.loc["kulttuuri", "count"] == 0
    assert acts.loc["liikunta", "share"] == pytest.approx(100.0)


@pytest.mark.parametrize("types, hidden", [
    # one small cell: the next smallest is hidden too, so n minus the rest reveals nothing
    ({"paikallisyhdistys": 10, "urheiluseura": 7, "saatio": 2}, {"saatio", "urheiluseura"}),
    # two small cells hide each other
    ({"paikallisyhdistys": 10, "urheiluseura": 3, "saatio": 2}, {"saatio", "urheiluseura"}),
    # nothing small: nothing hidden
    ({"paikallisyhdistys": 10, "urheiluseura": 7}, set()),
    # unanswered type (None) of 1-4 counts as a hidden cell of its own
    ({"paikallisyhdistys": 10, "urheiluseura": 7, None: 2}, {"urheiluseura"}),
])
def test_secondary_suppression_of_organisation_types(types, hidden):
    orgs = [{"regions": [A], "type": t} for t, k in types.items() for _i in range(k)]
    p = ngo.picture(ngo.Answers(answers(orgs)), "s", (A,), "Aa", NAMES)
    shown = p.types.set_index("code")
    assert {c for c, r in shown.iterrows() if r["text"] == "< 5"} == hidden
    # whatever is hidden, n minus the shown cells is never one recoverable small cell
    rest = p.n - int(shown["count"].fillna(0).sum())
    assert rest == 0 or len(hidden) >= 1 and (len(hidden) >= 2 or rest >= ngo.SMALL)


def test_averages_only_over_five_answers():
    orgs = ([{"regions": [A], "coop": 5, "coop_county": 2, "volunteers": 4}] * 4
            + [{"regions": [A], "coop": 1, "coop_county": None, "volunteers": None}] * 2)
    p = ngo.picture(ngo.Answers(answers(orgs)), "s", (A,), "Aa", NAMES)
    coop = p.cooperation.set_index("code")
    assert coop.loc["coop_municipality", "mean"] == pytest.approx((4 * 5 + 2) / 6)
    assert coop.loc["coop_county", "text"] == "< 5" and np.isnan(coop.loc["coop_county", "mean"])
    assert coop.loc["coop_county", "answered_text"] == "< 5"
    assert p.volunteers == {"answered": None, "total": None, "median": None}


def test_rounds_comparison_hides_changes_of_suppressed_cells():
    old = answers([{"regions": [A], "acts": ["liikunta"]}] * 6
                  + [{"regions": [A], "acts": ["kulttuuri"]}] * 3, 2023, "s23")
    new = answers([{"regions": [A], "acts": ["liikunta"]}] * 10
                  + [{"regions": [A], "acts": ["kulttuuri"]}] * 7, 2025, "s25")
    comp = ngo.rounds_comparison(merged(old, new), (A,), "Aa", NAMES)
    assert comp.attrs["years"] == (2023, 2025)
    rows = comp.set_index("label")
    assert (rows.loc["yhteensä", "first"], rows.loc["yhteensä", "last"]) == ("9", "17")
    assert rows.loc["yhteensä", "change"] == "+8"
    assert rows.loc["liikunta", "change"] == "+4"
    assert (rows.loc["kulttuuri", "first"], rows.loc["kulttuuri", "change"]) == ("< 5", "–")
    assert ngo.rounds_comparison(ngo.Answers(new), (A,), "Aa", NAMES).empty  # one round


def test_priority_scope():
    orgs = ([{"regions": [A], "pri": ["active_lifestyle"]}] * 6
            + [{"regions": [A], "pri": ["mental_wellbeing"]}] * 2)
    ans = ngo.Answers(answers(orgs))
    assert ngo.picture(ans, "s", (A,), "Aa", NAMES, "active_lifestyle").n == 6
    p = ngo.picture(ans, "s", (A,), "Aa", NAMES, "mental_wellbeing")
    assert p.n is None and "Mielen hyvinvointi" in p.headline()


def test_source_line_names_the_survey_not_thl_and_demo():
    ans = answers([{"regions": [A]}] * 7)
    ans["surveys"].loc[0, "is_demo"] = True
    p = ngo.picture(ngo.Answers(ans), "s", (A,), "Aa", NAMES)
    src = p.source()
    assert "Testikysely, kierros 2025" in src and "7 järjestöä vastasi" in src
    assert "ei THL:n tilasto" in src and "DEMOAINEISTO" in src
    with use("sv"):
        assert "DEMO" in p.source() and "Testikysely" in p.source()


def test_files_hold_only_suppressed_counts_and_no_free_text():
    orgs = ([{"regions": [A, B], "acts": ["liikunta"], "type": "urheiluseura"}] * 8
            + [{"regions": [B], "acts": ["vertaistuki"], "type": "muu"}] * 2)
    p = ngo.picture(ngo.Answers(answers(orgs)), "s", (A, B), "Ryhmä", NAMES)
    files = ngo_table.files(p)
    assert set(files) == {"jarjestot-ryhma-2025.csv", "jarjestot-ryhma-2025.parquet"}
    source, frame = tables.read_csv(files["jarjestot-ryhma-2025.csv"])
    assert "Testikysely" in source and "vapaat vastaukset eivät sisälly" in source
    counts = frame["Järjestöjä"].astype(str)
    assert not counts.isin(["1", "2", "3", "4"]).any()
    assert (counts == "< 5").sum() >= 2  # vertaistuki and the "muu" type (and its partner)
    _src, parquet = tables.read_parquet(files["jarjestot-ryhma-2025.parquet"])
    assert not parquet["Järjestöjä"].astype(str).isin(["1", "2", "3", "4"]).any()


def test_demo_warehouse_shows_no_small_cell_anywhere(app_env):
    """Every group, member municipality and priority of the demo survey: no count of 1–4
    and no average over fewer than five answers in any model output."""
    version = data.version()
    ans = ngo.Answers(data.ngo_answers(version))
    catalogue = data.catalogue(version)
    names = dict(zip(catalogue["regions"]["region_id"], catalogue["regions"]["name_fi"],
                     strict=True))
    seen_suppressed = 0
    for members in catalogue["groups"]["members"]:
        scopes = [tuple(int(m) for m in members)] + [(int(m),) for m in members]
        for scope in scopes:
            for priority in (None, *ngo.PRIORITY_CODES):
                for r in ans.rounds():
                    p = ngo.picture(ans, r["survey_id"], scope, "x", names, priority)
                    assert p.n is None or p.n == 0 or p.n >= 5
                    for frame in (p.municipalities, p.activities, p.targets, p.types,
                                  p.priorities):
                        if not p.shown:
                            assert frame.empty
                            continue
                        for c, t in zip(frame["count"], frame["text"], strict=True):
                            assert pd.isna(c) and t == "< 5" or c == 0 or c >= 5
                            seen_suppressed += t == "< 5"
                    if not p.cooperation.empty:
                        few = p.cooperation["answered"] < 5
                        assert p.cooperation.loc[few, "mean"].isna().all()
    assert seen_suppressed > 0, "the demo should exercise the rule"


def test_card_files_carry_the_municipality_s_ngo_picture(app_env):
    """The kuntakortti's HTML has a "Järjestöt kunnassa" section and the one-page PDF one
    line, both with the survey's own source; no free text in either."""
    import io

    import pypdf

    from dashboard.i18n import names
    from dashboard.reports import export
    from dashboard.reports import kuntakortti_assemble as cards

    version = data.version()
    cat = names.localize(data.catalogue(version), "fi")
    luhanka, jyvaskyla = cards.cards_for(version, [208, 85], cat)
    assert luhanka.ngo is not None and luhanka.ngo.area == "Luhanka"
    html = export.card_html_bytes(jyvaskyla).decode("utf-8")
    assert "<h2>Järjestöt kunnassa</h2>" in html
    assert "alueella Jyväskylä" in html and "ei THL:n tilasto" in html
    assert "(DEMO)." not in html.replace("järjestökysely (DEMO)", "")  # no demo needs text
    pdf = pypdf.PdfReader(io.BytesIO(export.card_pdf_bytes(luhanka)))
    assert len(pdf.pages) == 1
    text = " ".join(pdf.pages[0].extract_text().split())
    assert "toimii alueella Luhanka" in text and "järjestökysely (DEMO), kierros 2025" in text


@pytest.mark.parametrize("lang, axis, label, source", [
    ("fi", "Järjestöjä", "liikunta", "ei THL:n tilasto"),
    ("sv", "Organisationer", "motion", "inte THL:s statistik"),
    ("en", "Organisations", "physical activity", "not THL statistics"),
])
def test_charts_speak_the_language_and_keep_the_locale(lang, axis, label, source):
    from dashboard.charts import ngo as ngo_charts

    orgs = [{"regions": [A], "acts": ["liikunta"], "coop": 4}] * 6
    with use(lang):
        p = ngo.picture(ngo.Answers(answers(orgs)), "s", (A,), "Aa", NAMES)
        spec = ngo_charts.breakdown(p.activities, "T", p.chart_source())
        coop = ngo_charts.cooperation(p.cooperation, "C", p.chart_source())
    bars = spec["layer"][0]["encoding"]
    assert bars["x"]["title"] == axis
    assert label in [d["luokka"] for d in spec["data"]["values"]]
    assert bars["y"]["sort"] == [d["luokka"] for d in spec["data"]["values"]]
    assert source in " ".join(spec["title"]["subtitle"])
    assert spec["config"]["locale"]["number"]["decimal"] == ("." if lang == "en" else ",")
    assert coop["layer"][0]["encoding"]["x"]["scale"]["domain"] == [1, 5]
