"""Järjestöt: the county's NGO survey per group or municipality and priority, beside the
group's indicators for the same priority (render only)."""

import pandas as pd
import streamlit as st

from dashboard.charts import ngo as ngo_charts
from dashboard.i18n.catalog import PRIORITY_ORDER, _, outcome_name, priority_name
from dashboard.i18n.formatting import number
from dashboard.reports import ngo_table
from dashboard.ui import card_views, compositions, ngo_views, warehouse
from dashboard.ui import urlstate as params
from dashboard.ui.markup import md_escape

version = st.session_state["warehouse_version"]
st.title(_("Järjestöt"))
ans = ngo_views.answers(version)
if ans is None:
    st.info(_("Järjestökyselyä ei ole ladattu. Lisää kyselyn vienti (.xlsx tai .csv) ja sen "
              "vastaavuustiedosto (.toml) kansioon data/surveys/ ja aja hyte ingest; ohje ja "
              "tyhjä lomakepohja: README, kohta Järjestökysely."), icon=":material/info:")
    st.stop()

groups = warehouse.groups(version)
group_ids = list(groups["group_id"])
group_names = dict(zip(groups["group_id"], groups["name"], strict=True))
query = st.query_params.to_dict()
state = params.parse_overview({k: v for k, v in query.items() if k in ("group", "priority")},
                              group_ids)
for note in state.notes:
    st.info(note, icon=":material/info:")
rounds = ans.rounds()
round_years = [int(r["round_year"]) for r in rounds]
choices = ("all", *PRIORITY_ORDER[:3])
if "ngo_group" not in st.session_state:
    url_round = str(query.get("round", ""))
    st.session_state.update(
        ngo_group=state.group,
        ngo_priority=state.priority if state.priority in choices else "all",
        ngo_round=int(url_round) if url_round.isdigit() and int(url_round) in round_years
        else round_years[-1])

controls = st.columns([3, 2, 4, 1.4])
group_id = controls[0].selectbox(_("Kuntaryhmä"), group_ids, format_func=group_names.get,
                                 key="ngo_group")
region_ids, group_name = ngo_views.group_scope(version, group_id)
names = ngo_views.municipality_names(version)
kunta = controls[1].selectbox(_("Kunta"), [None, *region_ids], key=f"ngo_kunta_{group_id}",
                              format_func=lambda m: _("koko ryhmä") if m is None else names[m])
priority = controls[2].segmented_control(
    _("Painopiste"), choices, key="ngo_priority", required=True,
    format_func=lambda p: _("Kaikki") if p == "all" else priority_name(p))
year = controls[3].selectbox(_("Kierros"), round_years, key="ngo_round")
st.query_params.update(group=group_id, priority=priority, round=str(year))

survey = next(r for r in rounds if int(r["round_year"]) == year)
scope = (kunta,) if kunta is not None else region_ids
area = names[kunta] if kunta is not None else group_name
chosen = None if priority == "all" else priority
p = ngo_views.picture(version, survey["survey_id"], scope, area, chosen)

st.markdown(md_escape(p.headline()))
st.caption(md_escape(p.source()))

src = p.chart_source()  # every chart's subtitle: the survey, its round and respondents
ngo_col, ind_col = st.columns([3, 2], gap="large")
with ngo_col:
    if p.shown:
        m = st.columns(3)
        m[0].metric(_("Vastanneita järjestöjä alueella"), number(p.n, 0))
        vol = p.volunteers
        m[1].metric(_("Vapaaehtoisia yhteensä"),
                    "< 5" if vol.get("total") is None else number(vol["total"], 0))
        m[2].metric(_("Vapaaehtoisia, mediaani"),
                    "< 5" if vol.get("median") is None else number(vol["median"], 1))
        st.vega_lite_chart(ngo_charts.breakdown(p.activities, _("Toimintamuodot"), src),
                           width="stretch")
        st.vega_lite_chart(ngo_charts.breakdown(p.targets, _("Kohderyhmät"), src),
                           width="stretch")
        st.vega_lite_chart(ngo_charts.cooperation(p.cooperation, _("Yhteistyö"), src),
                           width="stretch")
        with st.expander(_("Järjestöjen tyypit, kunnat ja painopisteet"), icon=":material/table:"):
            st.vega_lite_chart(ngo_charts.breakdown(p.types, _("Järjestön tyyppi"), src),
                               width="stretch")
            if kunta is None:
                st.vega_lite_chart(ngo_charts.breakdown(p.municipalities,
                                                        _("Toimii kunnassa"), src),
                                   width="stretch")
            st.vega_lite_chart(ngo_charts.breakdown(p.priorities, _("Tukee painopistettä"),
                                                    src), width="stretch")
        st.caption(_("Järjestö voi toimia useassa kunnassa ja valita useita toimintamuotoja, "
                     "joten luvut eivät summaudu. Alle viiden järjestön luvut näytetään "
                     "muodossa ”< 5”, ja keskiarvot vain, kun vähintään viisi järjestöä "
                     "vastasi."))

with ind_col:
    st.subheader(_("Ryhmän indikaattorit: {priority}",
                   priority=priority_name(chosen) if chosen else _("kaikki painopisteet")))
    sit = compositions.group_situation(version, group_id, "area")
    part = sit.rows[sit.rows["priority"].isin([chosen] if chosen else PRIORITY_ORDER[:3])]
    table = pd.DataFrame({
        _("Indikaattori"): part["name"],
        _("Vuosi"): [str(int(y)) if pd.notna(y) and y else "–" for y in part["year"]],
        _("Ryhmä"): [number(v, int(d)) for v, d in zip(part["value"], part["decimals"],
                                                         strict=True)],
        _("vs. alue"): [outcome_name(o) for o in part["outcome_area"]],
    })
    st.dataframe(table, hide_index=True, column_config={
        _("Indikaattori"): st.column_config.TextColumn(width="large"),
        _("Vuosi"): st.column_config.TextColumn(width=48)})
    st.caption(_("Ryhmän {group} indikaattorit (lähde: THL, Sotkanet, CC BY 4.0), vertailu "
                 "hyvinvointialueeseen 95 %:n luottamusvälein; koko kuva ryhmän "
                 "tilannekuvassa.", group=md_escape(group_name)))
    if kunta is not None:
        card_views.card_links(version, [kunta])

comp = ngo_views.comparison(version, scope, area, chosen)
if not comp.empty:
    first, last = comp.attrs["years"]
    st.header(_("Kierrosten vertailu: {first} ja {last}", first=first, last=last))
    latest = next(r for r in rounds if int(r["round_year"]) == last)
    source = ngo_views.picture(version, latest["survey_id"], scope, area, chosen).chart_source()
    left, right = st.columns(2)
    left.vega_lite_chart(ngo_charts.rounds(comp, "activities", _("Toimintamuodot"),
                                           source), width="stretch")
    right.vega_lite_chart(ngo_charts.rounds(comp, "targets", _("Kohderyhmät"), source),
                          width="stretch")
    st.dataframe(ngo_table.comparison_table(comp, area), hide_index=True)
    st.caption(_("Kierrosten vastaajat ovat eri järjestöjä: muutos kertoo vastanneista, ei "
                 "välttämättä alueen kaikista järjestöistä. Muutosta ei näytetä, jos "
                 "kummankaan kierroksen luku on alle 5."))
else:
    comp = None

st.header(_("Kehittämistarpeet ja toiveet"))
ngo_views.needs_block(version, survey["survey_id"], scope)

st.header(_("Lataa tiedostoina"))
st.caption(_("Aggregoidut taulukot (CSV ja Parquet) samoin rajauksin kuin näytöllä: alle 5 "
             "järjestön luvut muodossa ”< 5”, ei vapaita vastauksia."))
ngo_views.downloads(p, comp, key="ngo_dl")
