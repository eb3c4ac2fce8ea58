"""Data status: what the live warehouse holds (the same facts as `hyte status`)."""

import json

import pandas as pd
import streamlit as st

from dashboard.i18n.catalog import _, priority_name
from dashboard.i18n.formatting import built_text, day, number
from dashboard.ui import warehouse

version = st.session_state["warehouse_version"]
info = warehouse.meta(version)
st.title(_("Tietojen tila"))
st.write(_("Mitä tietovarasto sisältää: lähde, kokoamisaika, rivimäärät ja jokaisen "
            "indikaattorin vuodet."))
st.markdown(f"**Viimeisin julkaisu:** {built_text(info.get('built_at'))}, "
            f"ajo `{info.get('run_id', '–')}`")

counts = warehouse.table_counts(version)
cols = st.columns(4)
cols[0].metric("Lähde", {"sotkanet": "Sotkanet", "demo": "Demoaineisto",
                         "dir": "Tallennetut vastaukset"}.get(info.get("source"), "?"))
cols[1].metric("Koottu", day(info.get("built_at", "")[:10]))
cols[2].metric("Havaintoja", number(counts["observation"], 0))
cols[3].metric("Alueita", number(counts["region"], 0))

st.subheader("Indikaattorit")
cov = warehouse.coverage(version)
table = pd.DataFrame({
    "Tunnus": cov["indicator_id"],
    "Indikaattori": cov["short_fi"],
    "Painopiste": [priority_name(p) for p in cov["priority"]],
    "Vuodet": [f"{a}–{b}" if pd.notna(a) else "–"
               for a, b in zip(cov["first_year"], cov["last_year"], strict=True)],
    "Rivejä": [number(n, 0) for n in cov["rows"]],
    "Päivitetty": [day(d) for d in cov["data_updated"]],
    "Tila": ["ok" if s == "ok" else f"virhe: {d}"
             for s, d in zip(cov["load_status"], cov["load_detail"], strict=True)],
})
st.dataframe(table, hide_index=True)

st.subheader("Taulujen rivimäärät")
st.dataframe(pd.DataFrame({"Taulu": list(counts), "Rivejä": [number(v, 0) for v in counts.values()]}),
             hide_index=True)

st.subheader("Latausloki")
log = warehouse.load_history(version)
rows = []
for r in log.itertuples():
    detail = json.loads(r.detail or "{}")
    failures = detail.get("failures") or {}
    rows.append({"Ajo": r.run_id, "Lähde": r.source, "Alkoi": str(r.started_at)[:19],
                 "Valmis": str(r.finished_at)[:19], "Tila": r.status,
                 "Havaintoja": number(r.rows, 0),
                 "Epäonnistuneet": ", ".join(failures) or "–"})
st.dataframe(pd.DataFrame(rows), hide_index=True)

from dashboard.ui import card_views  # noqa: E402  (every municipality's kuntakortti)

card_views.card_links(version)
