"""The NGO picture's downloadable tables (CSV/Parquet): suppressed counts only, no free text.

Built from model.ngo's frames, so a file can hold nothing the page hides: counts of 1–4 are
the text "< 5", shares and averages of them are empty. The development needs (free text)
are never part of a file.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.i18n.catalog import _, priority_name
from dashboard.model import ngo
from dashboard.reports import tables


def _headers() -> dict[str, str]:
    return {"area": _("Alue"), "round": _("Kierros"), "priority": _("Painopiste"),
            "topic": _("Aihe"), "category": _("Luokka"), "organisations": _("Järjestöjä"),
            "share": _("Osuus vastanneista (%)"), "mean": _("Keskiarvo (1–5)")}


def picture_table(p: ngo.Picture) -> pd.DataFrame:
    """Every breakdown of the picture as one long table (headers in the run's language)."""
    h = _headers()
    base_row = {"area": p.area, "round": int(p.survey["round_year"]),
                "priority": priority_name(p.priority) if p.priority else _("kaikki")}
    rows = [{**base_row, "topic": _("Vastanneita järjestöjä"), "category": _("yhteensä"),
             "organisations": ngo.count_text(p.n) if p.n is not None else ngo.SUPPRESSED,
             "share": np.nan, "mean": np.nan}]
    if p.shown:
        for topic, frame in ((_("Kunta"), p.municipalities), (_("Toimintamuoto"), p.activities),
                             (_("Kohderyhmä"), p.targets), (_("Järjestön tyyppi"), p.types),
                             (_("Painopiste"), p.priorities)):
            for r in frame.to_dict("records"):
                rows.append({**base_row, "topic": topic, "category": r["label"],
                             "organisations": r["text"], "share": r["share"], "mean": np.nan})
        for r in p.cooperation.to_dict("records"):
            rows.append({**base_row, "topic": _("Yhteistyö"), "category": r["label"],
                         "organisations": r["answered_text"], "share": np.nan,
                         "mean": r["mean"]})
    frame = pd.DataFrame(rows, columns=list(h))
    frame = tables.rounded(frame, {"share": 0, "mean": 1})
    return frame.rename(columns=h)


def comparison_table(comparison: pd.DataFrame, area: str) -> pd.DataFrame:
    if comparison is None or comparison.empty:
        return pd.DataFrame()
    first, last = comparison.attrs["years"]
    return pd.DataFrame({
        _("Alue"): area, _("Aihe"): comparison["kind"], _("Luokka"): comparison["label"],
        _("Järjestöjä {year}", year=first): comparison["first"],
        _("Järjestöjä {year}", year=last): comparison["last"],
        _("Muutos"): comparison["change"],
    })


def source(p: ngo.Picture) -> str:
    """The files' source line (one line, no ';': the CSV separator)."""
    return (ngo.source_text(p.survey) + " " + _("Aggregoidut taulukot; vapaat vastaukset eivät "
                                                "sisälly tiedostoihin.")).replace(";", ",")


def files(p: ngo.Picture, comparison: pd.DataFrame | None = None) -> dict[str, bytes]:
    """File name -> bytes of the picture's (and the round comparison's) CSV and Parquet."""
    stem = f"jarjestot-{_slug(p.area)}-{int(p.survey['round_year'])}"
    line = source(p)
    table = picture_table(p)
    out = {f"{stem}.csv": tables.csv_bytes(table, line),
           f"{stem}.parquet": tables.parquet_bytes(table, line)}
    comp = comparison_table(comparison, p.area) if comparison is not None else pd.DataFrame()
    if not comp.empty:
        out[f"{stem}-kierrokset.csv"] = tables.csv_bytes(comp, line)
        out[f"{stem}-kierrokset.parquet"] = tables.parquet_bytes(comp, line)
    return out


def _slug(text: str) -> str:
    table = str.maketrans("äöåÄÖÅ", "aoaAOA")
    keep = [c if c.isalnum() else "-" for c in str(text).translate(table).lower()]
    return "-".join(filter(None, "".join(keep).split("-")))[:60] or "alue"
