"""Follow-up rules (model.followup): baseline → latest by the single-overlap rule, and the
verdict against what the negotiation wanted."""

from __future__ import annotations

import pytest

from dashboard.model import followup
from dashboard.model.followup import Point

B = Point(10.0, 2022, 9.0, 11.0)


@pytest.mark.parametrize(
    "latest, polarity, direction, target, outcome, clear, verdict",
    [
        # latest interval excludes the baseline, lower value, low is good, goal: decrease
        (Point(8.0, 2024, 7.5, 8.5), "low_good", "decrease", None, "better", True, "toward"),
        (Point(12.0, 2024, 11.5, 12.5), "low_good", "decrease", None, "worse", True, "against"),
        # baseline inside the latest interval: no clear change whatever the sign
        (Point(9.5, 2024, 8.0, 11.0), "low_good", "decrease", None, "similar", False, "unclear"),
        # no interval (survey, index): not compared, never "clear"
        (Point(8.0, 2024), "low_good", "decrease", None, "not_compared", False, "not_compared"),
        # high is good, goal: increase
        (Point(12.0, 2024, 11.5, 12.5), "high_good", "increase", None, "better", True, "toward"),
        # no judgement: higher/lower, the direction decides
        (Point(12.0, 2024, 11.5, 12.5), "no_judgement", "decrease", None, "higher", True, "against"),
        (Point(8.0, 2024, 7.5, 8.5), "no_judgement", "decrease", None, "lower", True, "toward"),
        # keep = not worse: judged by polarity
        (Point(12.0, 2024, 11.5, 12.5), "low_good", "keep", None, "worse", True, "against"),
        (Point(8.0, 2024, 7.5, 8.5), "low_good", "keep", None, "better", True, "toward"),
        (Point(12.0, 2024, 11.5, 12.5), "no_judgement", "keep", None, "higher", True, "unclear"),
        # a target: reached when passed with a clear change (or without an interval)
        (Point(8.0, 2024, 7.5, 8.5), "low_good", "target", 8.5, "better", True, "reached"),
        (Point(8.0, 2024), "low_good", "target", 8.5, "not_compared", False, "reached"),
        (Point(8.8, 2024, 8.6, 9.0), "low_good", "target", 8.5, "better", True, "toward"),
        (Point(9.5, 2024, 8.0, 11.0), "low_good", "target", 9.6, "similar", False, "unclear"),
        (Point(12.0, 2024, 11.5, 12.5), "high_good", "target", 11.0, "better", True, "reached"),
        # no newer year than the baseline, or no value at all
        (Point(10.0, 2022, 9.0, 11.0), "low_good", "decrease", None, "not_compared", False, "no_new_data"),
        (Point(None, None), "low_good", "decrease", None, "not_compared", False, "no_data"),
    ],
)
def test_evaluate(latest, polarity, direction, target, outcome, clear, verdict):
    f = followup.evaluate(B, latest, polarity, direction, target)
    assert (f.outcome, f.clear, f.verdict) == (outcome, clear, verdict)
    if latest.value is not None and latest.year != B.year:
        assert f.change == pytest.approx(latest.value - B.value)


def test_no_baseline_means_no_data():
    f = followup.evaluate(Point(None, None), Point(5.0, 2024, 4.0, 6.0), "low_good", "decrease")
    assert f.verdict == "no_data" and f.change is None and not f.clear


def test_an_unknown_polarity_is_treated_as_no_judgement():
    f = followup.evaluate(B, Point(12.0, 2024, 11.5, 12.5), "weird", "increase")
    assert f.outcome == "higher" and f.verdict == "toward"


def test_latest_point_and_point_in():
    rows = [
        {"indicator_id": 1, "series": "group", "year": y, "value": v, "lo": lo, "hi": hi}
        for y, v, lo, hi in [
            (2020, 5.0, 4.0, 6.0),
            (2022, 6.0, float("nan"), float("nan")),
            (2023, float("nan"), None, None),
        ]
    ]
    rows.append({"indicator_id": 1, "series": "area", "year": 2024, "value": 7.0, "lo": None, "hi": None})
    assert followup.latest_point(rows, 1) == Point(6.0, 2022, None, None)
    assert followup.latest_point(rows, 1, "area") == Point(7.0, 2024, None, None)
    assert followup.point_in(rows, 1, 2020) == Point(5.0, 2020, 4.0, 6.0)
    assert followup.latest_point(rows, 2) == Point(None, None)


def test_every_verdict_has_a_name_and_a_colour():
    from dashboard.charts.followup import VERDICT_COLORS

    assert set(followup.VERDICTS) == set(VERDICT_COLORS) == set(followup.VERDICT_ORDER)
