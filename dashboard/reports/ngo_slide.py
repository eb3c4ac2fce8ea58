"""The presenter's NGO slide of a group: who acts in the area, and one chart, from the survey.

Pure: a suppressed model.ngo.Picture in, a reports.slides.Slide out (its own chart and source
line: the county's NGO survey, not THL).
"""

from __future__ import annotations

from dashboard.charts import ngo as ngo_charts
from dashboard.i18n.catalog import _
from dashboard.i18n.formatting import number
from dashboard.model import ngo
from dashboard.reports.slides import Point, Slide

TOP = 3


def ngo_slide(p: ngo.Picture, comparison=None) -> Slide:
    heading = _("Järjestöt ryhmän alueella")
    lead = p.headline()
    if not p.shown:
        return Slide("ngo", heading, lead, source=p.source())
    top = p.activities.dropna(subset=["count"]).sort_values("count", ascending=False).head(TOP)
    points = [Point("plain", _("Yleisimmät toimintamuodot: {items}.", items=", ".join(
        f"{r['label']} ({r['text']})" for r in top.to_dict("records"))))]
    coop = {r["code"]: r for r in p.cooperation.to_dict("records")}
    if "coop_municipality" in coop and "coop_county" in coop:
        points.append(Point("plain", _("Yhteistyön arvio (1–5): kunta {municipality}, "
                                       "hyvinvointialue {county}.",
                                       municipality=coop["coop_municipality"]["text"],
                                       county=coop["coop_county"]["text"])))
    if p.volunteers.get("total") is not None:
        points.append(Point("plain", _("Vapaaehtoisia yhteensä {n} (vastanneet järjestöt).",
                                       n=number(p.volunteers["total"], 0))))
    notes = [(_("Lähde"), p.source()),
             (_("Pienet luvut"), _("Alle viiden järjestön luvut näytetään muodossa ”< 5”; "
                                   "järjestö voi toimia useassa kunnassa, joten luvut eivät "
                                   "summaudu."))]
    if comparison is not None and not comparison.empty:
        total = comparison.iloc[0]
        first, last = comparison.attrs["years"]
        notes.append((_("Kierrokset"), _("Vastanneita alueella: {first_year} {first}, "
                                         "{last_year} {last}.", first_year=first,
                                         first=total["first"], last_year=last,
                                         last=total["last"])))
    spec = ngo_charts.breakdown(p.activities, _("Toimintamuodot"), p.chart_source(), width=300)
    return Slide("ngo", heading, lead, points=tuple(points), notes=tuple(notes), spec=spec,
                 source=p.source())
