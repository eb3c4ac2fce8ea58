"""The NGO survey's picture of an area: counts per activity, target group and type, volunteers,
cooperation ratings, and the comparison between rounds, with small cells suppressed here.

Pure: the warehouse's answer frames (dashboard.data.ngo_answers) in, suppressed frames out.
Every view, chart and file is built from these, so none can show what this hides.

The suppression rule (the README states it for users):
- a count of 1–4 organisations is shown as "< 5" (0 is shown: it describes no one);
- when fewer than 5 organisations of the area (and priority) responded, nothing of the
  area is shown but that fact;
- a single-choice breakdown (organisation type) with exactly one suppressed cell also hides
  its next smallest cell, so that the area's total minus the others cannot reveal it;
- multi-select breakdowns (activities, target groups, municipalities, priorities) have no
  total they add up to, and no totals are shown for them;
- an average or sum (cooperation ratings, volunteers, members) is shown only when at least
  5 organisations answered that question;
- a change between rounds is shown only when neither round's cell is suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.i18n.catalog import N_, _, ngettext, priority_name
from dashboard.i18n.formatting import number

SMALL = 5
SUPPRESSED = "< 5"

ORG_TYPES = {
    "paikallisyhdistys": N_("paikallisyhdistys"),
    "piiri": N_("piiri tai alueyhdistys"),
    "valtakunnallinen": N_("valtakunnallinen järjestö"),
    "saatio": N_("säätiö"),
    "seurakunta": N_("seurakunta"),
    "urheiluseura": N_("urheiluseura"),
    "muu": N_("muu"),
}
ACTIVITIES = {
    "vertaistuki": N_("vertaistuki"),
    "harrastus": N_("harrastus- ja vapaa-ajantoiminta"),
    "kohtaamispaikka": N_("kohtaamispaikka"),
    "neuvonta": N_("neuvonta ja ohjaus"),
    "tapahtumat": N_("tapahtumat"),
    "vapaaehtoistoiminta": N_("vapaaehtoistoiminta"),
    "liikunta": N_("liikunta"),
    "kulttuuri": N_("kulttuuri"),
    "muu": N_("muu"),
}
TARGETS = {
    "lapset": N_("lapset"),
    "nuoret": N_("nuoret"),
    "lapsiperheet": N_("lapsiperheet"),
    "tyoikaiset": N_("työikäiset"),
    "ikaantyneet": N_("ikääntyneet"),
    "erityisryhmat": N_("erityisryhmät"),
    "kaikki": N_("kaikki ikäryhmät"),
}
PARTNERS = {"coop_municipality": N_("kunta"), "coop_county": N_("hyvinvointialue"),
            "coop_parish": N_("seurakunta")}
PRIORITY_CODES = ("mental_wellbeing", "everyday_safety", "active_lifestyle")
BREAKDOWN_COLUMNS = ["code", "label", "count", "share", "text"]


def suppress(n) -> int | None:
    """The count as it may be shown: None for 1–4 (shown as "< 5")."""
    n = int(n)
    return None if 0 < n < SMALL else n


def count_text(n: int | None) -> str:
    return SUPPRESSED if n is None else number(n, 0)


@dataclass(frozen=True)
class Answers:
    """The warehouse's survey frames (surveys, orgs, regions, activities, targets, priorities)."""

    frames: dict[str, pd.DataFrame]

    @property
    def surveys(self) -> pd.DataFrame:
        return self.frames["surveys"]

    def rounds(self) -> list[dict]:
        """The surveys oldest first (one per round year: the latest loaded of a year)."""
        s = self.surveys.sort_values(["round_year", "survey_id"])
        return [r for r in s.drop_duplicates("round_year", keep="last").to_dict("records")]

    def survey(self, survey_id: str) -> dict:
        return self.surveys.set_index("survey_id", drop=False).loc[survey_id].to_dict()

    def scope(self, survey_id: str, region_ids, priority: str | None = None) -> pd.Index:
        """org_ids of the survey acting in any of the regions (and supporting the priority)."""
        reg = self.frames["regions"]
        here = reg[(reg["survey_id"] == survey_id) & reg["region_id"].isin(list(region_ids))]
        ids = pd.Index(here["org_id"].unique())
        if priority:
            pri = self.frames["priorities"]
            ids = ids.intersection(pri[(pri["survey_id"] == survey_id)
                                       & (pri["code"] == priority)]["org_id"].unique())
        return ids.sort_values()


@dataclass(frozen=True)
class Picture:
    """One survey round's suppressed picture of an area (a group or a municipality)."""

    survey: dict
    area: str
    priority: str | None
    n: int | None                                   # responding organisations (None: < 5)
    municipalities: pd.DataFrame = field(default_factory=pd.DataFrame)
    activities: pd.DataFrame = field(default_factory=pd.DataFrame)
    targets: pd.DataFrame = field(default_factory=pd.DataFrame)
    types: pd.DataFrame = field(default_factory=pd.DataFrame)
    priorities: pd.DataFrame = field(default_factory=pd.DataFrame)
    cooperation: pd.DataFrame = field(default_factory=pd.DataFrame)
    volunteers: dict = field(default_factory=dict)

    @property
    def shown(self) -> bool:
        return self.n is not None and self.n > 0

    @property
    def is_demo(self) -> bool:
        return bool(self.survey.get("is_demo"))

    def n_text(self) -> str:
        if self.n is None:
            return _("alle 5 järjestöä")
        return ngettext("{n} järjestö", "{n} järjestöä", self.n)

    def source(self) -> str:
        return source_text(self.survey)

    def chart_source(self) -> str:
        return short_source_text(self.survey)

    def headline(self) -> str:
        """One sentence: how many responding organisations act in the area."""
        if self.priority:
            if self.n is None:
                return _("Kyselyyn vastanneista järjestöistä alle 5 toimii alueella {area} ja "
                         "kertoo tukevansa painopistettä {priority}: lukuja ei näytetä.",
                         area=self.area, priority=priority_name(self.priority))
            return _("Kyselyyn vastanneista järjestöistä {n} toimii alueella {area} ja kertoo "
                     "tukevansa painopistettä {priority}.", n=number(self.n, 0),
                     area=self.area, priority=priority_name(self.priority))
        if self.n is None:
            return _("Kyselyyn vastanneista järjestöistä alle 5 toimii alueella {area}: "
                     "lukuja ei näytetä.", area=self.area)
        return _("Kyselyyn vastanneista järjestöistä {n} toimii alueella {area}.",
                 n=number(self.n, 0), area=self.area)


def source_text(survey: dict) -> str:
    """The source line of every NGO figure: the survey, its round, its respondents, not THL."""
    text = _("Lähde: {name}, kierros {year}; {n}. Hyvinvointialueen oma järjestökysely "
             "(ei THL:n tilasto); alle 5 järjestön luvut näytetään muodossa ”< 5”.",
             name=survey["name"], year=int(survey["round_year"]),
             n=ngettext("{n} järjestö vastasi", "{n} järjestöä vastasi",
                        int(survey["organisations"])))
    if survey.get("is_demo"):
        text += " " + _("DEMOAINEISTO: synteettisiä vastauksia, ei todellisia järjestöjä.")
    return text


def short_source_text(survey: dict) -> str:
    """The source line of a chart (its subtitle): the survey, round, respondents, not THL."""
    text = _("Lähde: {name} {year}, {n}; hyvinvointialueen järjestökysely, ei THL:n tilasto.",
             name=survey["name"], year=int(survey["round_year"]),
             n=ngettext("{n} järjestö vastasi", "{n} järjestöä vastasi",
                        int(survey["organisations"])))
    if survey.get("is_demo"):
        text += " " + _("DEMOAINEISTO.")
    return text


def _breakdown(links: pd.DataFrame, survey_id: str, ids: pd.Index, labels: dict,
               n: int) -> pd.DataFrame:
    part = links[(links["survey_id"] == survey_id) & links["org_id"].isin(ids)]
    counts = part.groupby("code")["org_id"].nunique()
    rows = []
    for code, label in labels.items():
        c = suppress(counts.get(code, 0))
        rows.append({"code": code, "label": _(label) if label else code, "count": c,
                     "share": (np.nan if c is None or not n else 100.0 * c / n),
                     "text": count_text(c)})
    return pd.DataFrame(rows, columns=BREAKDOWN_COLUMNS)


def _single_choice(values: pd.Series, labels: dict, n: int) -> pd.DataFrame:
    """A single-choice breakdown with secondary suppression (see the module's rule)."""
    counts = values.value_counts()
    raw = {code: int(counts.get(code, 0)) for code in labels}
    unanswered = int(values.isna().sum())
    hidden = {c for c, v in raw.items() if 0 < v < SMALL}
    if 0 < unanswered < SMALL:
        hidden.add(None)
    if len(hidden) == 1:
        rest = sorted((v, c) for c, v in raw.items() if v and c not in hidden)
        if rest:
            hidden.add(rest[0][1])
    rows = []
    for code, label in labels.items():
        c = None if code in hidden else raw[code]
        rows.append({"code": code, "label": _(label), "count": c,
                     "share": np.nan if c is None or not n else 100.0 * c / n,
                     "text": count_text(c)})
    return pd.DataFrame(rows, columns=BREAKDOWN_COLUMNS)


def picture(ans: Answers, survey_id: str, region_ids, area: str, names: dict[int, str],
            priority: str | None = None) -> Picture:
    """The survey's suppressed picture of the area (region_ids: a group's members or one)."""
    survey = ans.survey(survey_id)
    ids = ans.scope(survey_id, region_ids, priority)
    n = suppress(len(ids))
    if not n:
        return Picture(survey, area, priority, n)
    orgs = ans.frames["orgs"]
    orgs = orgs[(orgs["survey_id"] == survey_id) & orgs["org_id"].isin(ids)]
    reg = ans.frames["regions"]
    reg = reg[(reg["survey_id"] == survey_id) & reg["org_id"].isin(ids)]
    munis = []
    for rid in region_ids:
        c = suppress(reg.loc[reg["region_id"] == rid, "org_id"].nunique())
        munis.append({"code": int(rid), "label": names.get(int(rid), str(rid)), "count": c,
                      "share": np.nan if c is None else 100.0 * c / n, "text": count_text(c)})
    coop = []
    for col, label in PARTNERS.items():
        answered = orgs[col].dropna()
        ok = len(answered) >= SMALL
        coop.append({"code": col, "label": _(label), "answered": len(answered),
                     "answered_text": count_text(suppress(len(answered))),
                     "mean": float(answered.mean()) if ok else np.nan,
                     "text": number(float(answered.mean()), 1) if ok else SUPPRESSED})
    vol = orgs["volunteers"].dropna()
    volunteers = {"answered": suppress(len(vol)),
                  "total": int(vol.sum()) if len(vol) >= SMALL else None,
                  "median": float(vol.median()) if len(vol) >= SMALL else None}
    return Picture(
        survey, area, priority, n,
        municipalities=pd.DataFrame(munis, columns=BREAKDOWN_COLUMNS),
        activities=_breakdown(ans.frames["activities"], survey_id, ids, ACTIVITIES, n),
        targets=_breakdown(ans.frames["targets"], survey_id, ids, TARGETS, n),
        types=_single_choice(orgs["org_type"], ORG_TYPES, n),
        priorities=_breakdown(ans.frames["priorities"], survey_id, ids,
                              {p: "" for p in PRIORITY_CODES}, n).assign(
            label=[priority_name(p) for p in PRIORITY_CODES]),
        cooperation=pd.DataFrame(coop),
        volunteers=volunteers,
    )


def rounds_comparison(ans: Answers, region_ids, area: str, names: dict[int, str],
                      priority: str | None = None) -> pd.DataFrame:
    """Activities and target groups in the oldest and newest rounds, side by side.

    Columns: topic (total, activities, targets), kind (its name), label, first, last
    (texts), change (text; '–' when either is suppressed or a round shows nothing),
    first_count, last_count (None when suppressed). Empty with fewer than two rounds.
    """
    rounds = ans.rounds()
    if len(rounds) < 2:
        return pd.DataFrame()
    first, last = (picture(ans, r["survey_id"], region_ids, area, names, priority)
                   for r in (rounds[0], rounds[-1]))
    rows = [{"topic": "total", "kind": _("Vastanneita järjestöjä"), "label": _("yhteensä"),
             "first_count": first.n, "last_count": last.n}]
    for kind, attr in ((_("Toimintamuoto"), "activities"), (_("Kohderyhmä"), "targets")):
        # topic: the breakdown's code (charts pick by it); kind: its name in the run's language
        a, b = getattr(first, attr), getattr(last, attr)
        if a.empty or b.empty:
            continue
        for (_i, ra), (_j, rb) in zip(a.iterrows(), b.iterrows(), strict=True):
            rows.append({"topic": attr, "kind": kind, "label": ra["label"],
                         "first_count": ra["count"],
                         "last_count": rb["count"]})
    for r in rows:
        for col in ("first_count", "last_count"):
            v = r[col]
            r[col] = None if v is None or pd.isna(v) else int(v)
        r["first"], r["last"] = count_text(r["first_count"]), count_text(r["last_count"])
        if r["first_count"] is None or r["last_count"] is None:
            r["change"] = "–"
        else:
            d = r["last_count"] - r["first_count"]
            r["change"] = ("+" if d > 0 else "") + number(d, 0)
    out = pd.DataFrame(rows).astype({"first_count": object, "last_count": object})
    out.attrs["years"] = (int(rounds[0]["round_year"]), int(rounds[-1]["round_year"]))
    return out
