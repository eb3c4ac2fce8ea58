"""Follow-up of a negotiated goal: baseline → latest value, whether the change is clear, and
whether it runs the way the negotiation wanted.

Pure. The rule is the project's own single-overlap comparison (stats.compare): the latest
value's 95 % interval is compared with the baseline value. Baseline inside the interval →
no clear change; outside → a clear change (better/worse by the indicator's polarity, or
higher/lower when it has none); no interval (surveys, indices, a group value with a missing
member) → "ei verrattu", and only the sign of the change is told, never as clear.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from dashboard.i18n.catalog import N_, _
from dashboard.model import stats

VERDICTS = {
    "toward": N_("tavoitteen suuntaan"),
    "against": N_("tavoitetta vastaan"),
    "unclear": N_("ei selvää muutosta"),
    "reached": N_("tavoitearvo saavutettu"),
    "not_compared": N_("ei verrattu (ei luottamusväliä)"),
    "no_new_data": N_("ei uutta tietoa lähtötason jälkeen"),
    "no_data": N_("ei tietoa"),
}
# Verdict colours for charts and tables (same palette idea as the outcomes).
VERDICT_ORDER = ("toward", "reached", "unclear", "against", "not_compared", "no_new_data", "no_data")


def verdict_name(key: str) -> str:
    return _(VERDICTS[key]) if key in VERDICTS else str(key)


@dataclass(frozen=True)
class Point:
    value: float | None
    year: int | None
    lo: float | None = None
    hi: float | None = None


@dataclass(frozen=True)
class FollowUp:
    baseline: Point
    latest: Point
    change: float | None  # latest - baseline, in the indicator's unit
    outcome: str  # stats.compare(latest interval, baseline): better … not_compared
    clear: bool  # the change is statistically clear (by the rule above)
    movement: str  # up | down | none | unknown
    verdict: str  # a key of VERDICTS


def _known(x) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def _interval(p: Point) -> tuple[float, float] | None:
    return (float(p.lo), float(p.hi)) if _known(p.lo) and _known(p.hi) else None


def evaluate(
    baseline: Point, latest: Point, polarity: str, direction: str, target: float | None = None
) -> FollowUp:
    """One follow-up indicator of a goal. `direction`: decrease | increase | keep | target."""
    if polarity not in stats.POLARITIES:
        polarity = "no_judgement"
    if not _known(baseline.value) or not _known(latest.value):
        return FollowUp(baseline, latest, None, "not_compared", False, "unknown", "no_data")
    change = float(latest.value) - float(baseline.value)
    movement = "up" if change > 0 else "down" if change < 0 else "none"
    if latest.year is not None and baseline.year is not None and latest.year <= baseline.year:
        return FollowUp(
            baseline,
            latest,
            0.0 if latest.year == baseline.year else change,
            "not_compared",
            False,
            "none",
            "no_new_data",
        )
    # stats.compare asks "how does the latest stand against the benchmark (the baseline)";
    # its polarity words then read as the change's: "better" = improved since the baseline.
    outcome = stats.compare(float(latest.value), _interval(latest), float(baseline.value), polarity)
    clear = outcome in ("better", "worse", "higher", "lower")
    wanted_up = {"increase": True, "decrease": False}.get(direction)
    if direction == "target" and _known(target):
        wanted_up = float(target) > float(baseline.value)
        reached = (
            (float(latest.value) >= float(target)) if wanted_up else (float(latest.value) <= float(target))
        )
        if reached and (clear or outcome == "not_compared"):
            return FollowUp(baseline, latest, change, outcome, clear, movement, "reached")
    if outcome == "not_compared":
        verdict = "not_compared"
    elif not clear:
        verdict = "unclear"
    elif direction == "keep":
        # Keep = not worse: a clear change is judged by the indicator's polarity.
        verdict = "against" if outcome == "worse" else "toward" if outcome == "better" else "unclear"
    elif wanted_up is None:
        verdict = "unclear"
    else:
        verdict = "toward" if (movement == "up") == wanted_up else "against"
    return FollowUp(baseline, latest, change, outcome, clear, movement, verdict)


def latest_point(series_rows, indicator_id: int, scope: str = "group") -> Point:
    """The newest (value, year, lo, hi) of an indicator in a situation's series records."""
    best = None
    for r in series_rows:
        if int(r["indicator_id"]) != int(indicator_id) or r["series"] != scope:
            continue
        if not _known(r["value"]):
            continue
        if best is None or int(r["year"]) > int(best["year"]):
            best = r
    if best is None:
        return Point(None, None)
    lo, hi = best.get("lo"), best.get("hi")
    return Point(
        float(best["value"]),
        int(best["year"]),
        float(lo) if _known(lo) else None,
        float(hi) if _known(hi) else None,
    )


def point_in(series_rows, indicator_id: int, year: int, scope: str = "group") -> Point:
    """The (value, year, lo, hi) of one year (the demo's baselines)."""
    for r in series_rows:
        if (
            int(r["indicator_id"]) == int(indicator_id)
            and r["series"] == scope
            and int(r["year"]) == int(year)
            and _known(r["value"])
        ):
            lo, hi = r.get("lo"), r.get("hi")
            return Point(
                float(r["value"]),
                int(year),
                float(lo) if _known(lo) else None,
                float(hi) if _known(hi) else None,
            )
    return Point(None, None)
