"""The follow-up of recorded negotiations, composed from the record and the warehouse.

No Streamlit: ui.records caches these for the pages; the summary exports and the "last
round" slide call them directly. A record is a plain dict from dashboard.records.store;
the numbers come from the group's situation (reports.assemble), so a goal's latest value
is the same number the overview shows for the group.
"""

from __future__ import annotations

import math

import pandas as pd

from dashboard.i18n import names
from dashboard.i18n.catalog import _, priority_name
from dashboard.i18n.formatting import interval, number
from dashboard.model import followup, situation
from dashboard.records import schema
from dashboard.records.store import Baseline
from dashboard.reports import assemble


def series_records(sit: situation.Situation) -> list[dict]:
    return situation.records(sit.series)


def baselines(sit: situation.Situation, indicator_ids) -> dict[int, Baseline]:
    """What a goal's indicators stand at now (the group's newest value; the area's when the
    group has none, e.g. county-level surveys): captured when the goal is saved."""
    rows = series_records(sit)
    out = {}
    for iid in indicator_ids:
        p, scope = followup.latest_point(rows, iid, "group"), "group"
        if p.value is None:
            p, scope = followup.latest_point(rows, iid, "area"), "area"
        out[int(iid)] = Baseline(p.value, p.year, p.lo, p.hi, scope)
    return out


def _indicator_info(indicators: pd.DataFrame) -> dict[int, dict]:
    frame = indicators.reset_index(drop=True)
    shown = names.display(frame, "short")
    out = {}
    for i, row in enumerate(frame.to_dict("records")):
        out[int(row["indicator_id"])] = {
            "name": shown.iloc[i],
            "polarity": row.get("polarity"),
            "unit": row.get("unit"),
            "decimals": int(row.get("decimals") or 1),
        }
    return out


def indicator_rows(tree: dict, series: list[dict], indicators: pd.DataFrame) -> list[dict]:
    """One row per goal and follow-up indicator: baseline → latest, change, verdict."""
    info = _indicator_info(indicators)
    out = []
    for g in tree["goals"]:
        for gi in g["indicators"]:
            iid = int(gi["indicator_id"])
            meta = info.get(
                iid,
                {
                    "name": gi["indicator_name"] or str(iid),
                    "polarity": "no_judgement",
                    "unit": "",
                    "decimals": 1,
                },
            )
            base = followup.Point(
                gi["baseline_value"], gi["baseline_year"], gi["baseline_lo"], gi["baseline_hi"]
            )
            latest = followup.latest_point(series, iid, gi.get("baseline_scope") or "group")
            f = followup.evaluate(base, latest, meta["polarity"], gi["direction"], gi["target_value"])
            out.append(
                {
                    "group_id": tree["group_id"],
                    "round_year": tree["round_year"],
                    "goal_id": g["id"],
                    "priority": g["priority"],
                    "goal": g["text"],
                    "indicator_id": iid,
                    "indicator": meta["name"],
                    "unit": meta["unit"],
                    "decimals": meta["decimals"],
                    "in_catalogue": iid in info,
                    "direction": gi["direction"],
                    "target": gi["target_value"],
                    "scope": gi.get("baseline_scope") or "group",
                    "baseline_value": base.value,
                    "baseline_year": base.year,
                    "baseline_lo": base.lo,
                    "baseline_hi": base.hi,
                    "latest_value": latest.value,
                    "latest_year": latest.year,
                    "latest_lo": latest.lo,
                    "latest_hi": latest.hi,
                    "change": f.change,
                    "outcome": f.outcome,
                    "clear": f.clear,
                    "movement": f.movement,
                    "verdict": f.verdict,
                }
            )
    return out


def group_followup(version: str, cat: dict, tree: dict) -> list[dict]:
    """indicator_rows of one recorded negotiation, its group's situation read from the warehouse."""
    groups = set(cat["groups"]["group_id"])
    if tree["group_id"] not in groups:
        return indicator_rows(tree, [], cat["indicators"])
    ctx = assemble.group_context(cat, tree["group_id"])
    sit = assemble.group_situation(version, cat, ctx)
    return indicator_rows(tree, series_records(sit), cat["indicators"])


# --- texts --------------------------------------------------------------------------------


def _num(v, decimals: int) -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else number(v, decimals)


def value_text(value, year, lo, hi, decimals: int) -> str:
    if value is None:
        return "–"
    text = _("{value} ({year})", value=_num(value, decimals), year=year or "–")
    if lo is not None and hi is not None:
        text += " " + _("[95 %: {interval}]", interval=interval(lo, hi, decimals))
    return text


def change_text(row: dict) -> str:
    """'12,1 → 10,4 (−1,7)': baseline → latest and the change."""
    d = row["decimals"]
    if row["baseline_value"] is None:
        return _("ei lähtötasoa")
    if row["latest_value"] is None:
        return _("{baseline} → ei uutta tietoa", baseline=_num(row["baseline_value"], d))
    sign = "+" if (row["change"] or 0) > 0 else ""
    return _(
        "{baseline} ({y0}) → {latest} ({y1}), muutos {change}",
        baseline=_num(row["baseline_value"], d),
        y0=row["baseline_year"] or "–",
        latest=_num(row["latest_value"], d),
        y1=row["latest_year"] or "–",
        change=sign + _num(row["change"], d),
    )


def intent_text(row: dict) -> str:
    if row["direction"] == "target" and row["target"] is not None:
        return _("tavoitearvo {target}", target=_num(row["target"], row["decimals"]))
    return schema.name(schema.DIRECTIONS, row["direction"])


def sentence(row: dict) -> str:
    """One line for a slide or the overview: goal indicator, movement and verdict."""
    return _(
        "{indicator}: {change} – {verdict}.",
        indicator=row["indicator"],
        change=change_text(row),
        verdict=followup.verdict_name(row["verdict"]),
    )


def status_counts(tree: dict) -> dict[str, int]:
    out = {k: 0 for k in schema.STATUSES}
    for g in tree["goals"]:
        for a in g["actions"]:
            out[a["status"]] = out.get(a["status"], 0) + 1
    return out


def status_text(tree: dict) -> str:
    counts = status_counts(tree)
    parts = [f"{schema.name(schema.STATUSES, k)} {n}" for k, n in counts.items() if n]
    return ", ".join(parts) if parts else _("ei kirjattuja toimenpiteitä")


def goal_heading(goal: dict) -> str:
    return _("{priority}: {goal}", priority=priority_name(goal["priority"]), goal=goal["text"])


# --- "Viime neuvottelussa sovittiin": the presenter's slide --------------------------------------

MAX_SLIDE_POINTS = 4  # one per goal: what still reads on a 720p projector
TONES = {"toward": "strength", "reached": "strength", "against": "challenge"}


def short_movement(row: dict) -> str:
    """'Koulutuksen ulkopuolelle jääneet …: 10,4 → 11,3 (tavoitetta vastaan)'."""
    d = row["decimals"]
    return _("{indicator}: {baseline} → {latest} ({verdict})", indicator=row["indicator"],
             baseline=_num(row["baseline_value"], d), latest=_num(row["latest_value"], d),
             verdict=followup.verdict_name(row["verdict"]))


def goal_tone(rows: list[dict]) -> str:
    """Against if any indicator runs against the goal; towards if all of them go its way."""
    verdicts = [r["verdict"] for r in rows]
    if "against" in verdicts:
        return "challenge"
    if verdicts and all(v in ("toward", "reached") for v in verdicts):
        return "strength"
    return "plain"


def last_round_slide(record: dict, rows: list[dict]):
    """The slide that opens the next round: last round's goals, one line each, with how
    their indicators moved; the full sentences (years, changes) are in the speaker notes.

    For slides.build_deck(..., last_round=…); None when there is no record.
    """
    from dashboard.reports import slides

    if record is None:
        return None
    points, notes = [], []
    for g in record["goals"]:
        mine = [r for r in rows if r["goal_id"] == g["id"]]
        text = goal_heading(g)
        if mine:
            text = _("{goal} — {movements}", goal=text, movements="; ".join(short_movement(r) for r in mine))
        points.append(slides.Point(goal_tone(mine), text, priority_name(g["priority"])))
        notes += [(priority_name(g["priority"]), sentence(r)) for r in mine]
    shown = tuple(points[:MAX_SLIDE_POINTS])
    notes += [
        (_("Seurannan sääntö"), _("Muutos on selvä, kun lähtötaso jää uusimman arvon 95 %:n "
                                   "luottamusvälin ulkopuolelle; ilman väliä ei verrattu.")),
        (_("Toimenpiteet"), status_text(record)),
    ]
    if len(points) > len(shown):
        notes.append((_("Lisää"), _("Dialla {shown} riviä {total}:stä; kaikki Seuranta-sivulla.",
                                    shown=len(shown), total=len(points))))
    lead = _("Kierros {year}: tavoitteet ja niiden seurantaindikaattorit", year=record["round_year"])
    if record.get("is_demo"):
        lead += " – " + _("DEMO – keksitty esimerkkikirjaus")
    return slides.Slide("last_round", _("Viime neuvottelussa sovittiin"), lead, points=shown,
                        notes=tuple(notes))
