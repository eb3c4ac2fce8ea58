"""Data status: what the live warehouse holds (the same facts as `hyte status`)."""

import json

import pandas as pd
import streamlit as st

from dashboard.i18n.catalog import N_, _, priority_name
from dashboard.i18n.formatting import built_text, day, number
from dashboard.ui import warehouse

# The warehouse's sources (meta "source", as `hyte ingest --source` names them).
SOURCE_NAMES = {"sotkanet": N_("Sotkanet"), "demo": N_("Demoaineisto"),
                "dir": N_("Tallennetut vastaukset")}
# A load run's status (load_log.status).
RUN_STATUS = {"ok": N_("ok"), "warnings": N_("varoituksia")}

version = st.session_state["warehouse_version"]
info = warehouse.meta(version)
st.title(_("Tietojen tila"))
st.write(_("Mitä tietovarasto sisältää: lähde, kokoamisaika, rivimäärät ja jokaisen "
            "indikaattorin vuodet."))
st.markdown(_("**Viimeisin julkaisu:** {built}, ajo `{run_id}`",
               built=built_text(info.get("built_at")), run_id=info.get("run_id", "–")))

counts = warehouse.table_counts(version)
cols = st.columns(4)
source = info.get("source")
cols[0].metric(_("Lähde"), _(SOURCE_NAMES[source]) if source in SOURCE_NAMES else "?")
cols[1].metric(_("Koottu"), day(info.get("built_at", "")[:10]))
cols[2].metric(_("Havaintoja"), number(counts["observation"], 0))
cols[3].metric(_("Alueita"), number(counts["region"], 0))

st.subheader(_("Indikaattorit"))
cov = warehouse.coverage(version)
# The indicator's short name in this run's language (coverage() reads the Finnish one).
inds = warehouse.indicators(version)
short = dict(zip(inds["indicator_id"].astype(int), inds["short"], strict=True))
table = pd.DataFrame({
    _("Tunnus"): cov["indicator_id"],
    _("Indikaattori"): [short.get(int(i), s) for i, s in zip(cov["indicator_id"],
                                                             cov["short_fi"], strict=True)],
    _("Painopiste"): [priority_name(p) for p in cov["priority"]],
    _("Vuodet"): [f"{a}–{b}" if pd.notna(a) else "–"
                  for a, b in zip(cov["first_year"], cov["last_year"], strict=True)],
    _("Rivejä"): [number(n, 0) for n in cov["rows"]],
    _("Päivitetty"): [day(d) for d in cov["data_updated"]],
    _("Tila"): [_("ok") if s == "ok" else _("virhe: {detail}", detail=d)
                for s, d in zip(cov["load_status"], cov["load_detail"], strict=True)],
})
st.dataframe(table, hide_index=True)

st.subheader(_("Taulujen rivimäärät"))
# Table names are the warehouse's own identifiers (as in `hyte status` and SQL).
st.dataframe(pd.DataFrame({_("Taulu"): list(counts),
                           _("Rivejä"): [number(v, 0) for v in counts.values()]}),
             hide_index=True)

st.subheader(_("Latausloki"))
log = warehouse.load_history(version)
rows = []
for r in log.itertuples():
    detail = json.loads(r.detail or "{}")
    failures = detail.get("failures") or {}
    # Sources as `hyte ingest --source` names them; times UTC, as the log stores them.
    rows.append({_("Ajo"): r.run_id, _("Lähde"): r.source,
                 _("Alkoi"): built_text(str(r.started_at)),
                 _("Valmis"): built_text(str(r.finished_at)),
                 _("Tila"): _(RUN_STATUS[r.status]) if r.status in RUN_STATUS else r.status,
                 _("Havaintoja"): number(r.rows, 0),
                 _("Epäonnistuneet"): ", ".join(failures) or "–"})
st.dataframe(pd.DataFrame(rows), hide_index=True)

from dashboard.ui import card_views  # noqa: E402  (every municipality's kuntakortti)

card_views.card_links(version)

from dashboard.ui import ngo_views  # noqa: E402  (the NGO surveys loaded)

ngo_views.surveys_table(version)
