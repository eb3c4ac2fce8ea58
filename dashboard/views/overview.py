"""Ryhmän tilannekuva: the workshop opener for one municipality group (render only).

Every text in the run's language; the key phenomena and "why this colour" rows are the
model's sentences (dashboard.model.phrases)."""


import pandas as pd
import streamlit as st

from dashboard.i18n.catalog import (
    PRIORITY_ORDER,
    _,
    benchmark_name,
    priority_name,
)
from dashboard.i18n.formatting import number
from dashboard.model import briefing, phrases, situation
from dashboard.ui import card_views, compositions, overview_tables, records, share, warehouse
from dashboard.ui import urlstate as params
from dashboard.ui.markup import md_escape

version = st.session_state["warehouse_version"]
groups = warehouse.groups(version)
group_ids = list(groups["group_id"])
indicators = warehouse.indicators(version).set_index("indicator_id", drop=False)

state = params.parse_overview(st.query_params.to_dict(), group_ids)
for note in state.notes:
    st.info(note, icon=":material/info:")
if "ov_group" not in st.session_state:
    st.session_state.update(ov_group=state.group, ov_priority=state.priority,
                            ov_benchmark=state.benchmark)

group_names = dict(zip(groups["group_id"], groups["name"], strict=True))
controls = st.columns([3, 4, 2])
group_id = controls[0].selectbox(_("Kuntaryhmä"), group_ids, format_func=group_names.get,
                                 key="ov_group")
priority = controls[1].segmented_control(
    _("Painopiste"), params.PRIORITY_CHOICES, key="ov_priority", required=True,
    format_func=lambda p: _("Kaikki") if p == "all" else priority_name(p))
benchmark = controls[2].segmented_control(
    _("Vertailu"), params.BENCHMARK_CHOICES, key="ov_benchmark", required=True,
    format_func=lambda b: _("Hyvinvointialue") if b == "area" else _("Koko maa"))
st.query_params.update(group=group_id, priority=priority, benchmark=benchmark)

sit = compositions.group_situation(version, group_id, benchmark)
ctx = compositions.group_context(version, group_id, benchmark)
rows = sit.rows
regions = warehouse.regions(version).set_index("region_id")
area_name = regions.loc[ctx.area_id, "name"]
member_names = [ctx.names[m] for m in ctx.members]
population = situation.group_population(ctx.populations, ctx.members)
pop_year = regions.loc[list(ctx.members), "population_year"].max()

# --- header -----------------------------------------------------------------------------
st.title(group_names[group_id])
vintage = situation.vintage(rows)
members_line = _("**Kunnat:** {municipalities}",
                  municipalities=md_escape(", ".join(member_names)))
population_line = (
    _("**Väestö:** {population} asukasta ({year})", population=number(population, 0),
      year=int(pop_year)) if pd.notna(pop_year)
    else _("**Väestö:** {population} asukasta", population=number(population, 0)))
years_line = _("**Tiedot vuosilta:** {years}", years=" · ".join(
    f"{priority_name(p)} {vintage[p]}" for p in PRIORITY_ORDER if vintage.get(p)))
st.markdown("  \n".join((members_line, population_line, years_line)))
card_views.card_links(version, list(ctx.members))  # the members' kuntakortit
share.room_panel(group_id)  # Jaa huoneelle: the static page's link and QR code (ui.share)
shown = [p for p in PRIORITY_ORDER if priority in ("all", p)]
st.caption(" ".join((
    _("Ryhmän arvo on jäsenkuntien yhdistetty arvo viimeisimmältä vuodelta, jolta kaikilta "
      "kunnilta on tieto (osoittajat ja nimittäjät yhteen)."),
    _("Vertailu {comparison}.", comparison=md_escape(
        briefing.comparison_text(benchmark, rows, area_name))),
    _("Värit: sininen parempi, keltainen samaa tasoa, oranssi heikompi, violetti "
      "korkeampi/matalampi (ei hyvä–huono-suuntaa), harmaa ei verrattu."))))
with st.popover(_("Miten vertailu tehdään?"), icon=":material/straighten:"):
    st.markdown(phrases.method_text())

records.last_round_block(version, group_id)  # Viime neuvottelussa sovittiin (ui.records)

# --- key phenomena ------------------------------------------------------------------------
st.header(_("Keskeiset ilmiöt"))
st.caption(_("Nostot valitaan säännöllä: 99,8 %:n luottamusväli ei sisällä vertailuarvoa; "
             "ensin ”heikompi ja heikkenevä”, sitten suurin suhteellinen ero. Enintään kolme "
             "vahvuutta ja kolme haastetta painopistettä kohden; ei koskaan indikaattorista, "
             "jota ei voi verrata."))
cols = st.columns(3)
for col, p in zip(cols, PRIORITY_ORDER[:3], strict=True):
    strengths, challenges = situation.highlights(rows, p)
    with col.container(border=True):
        st.subheader(priority_name(p))
        st.markdown("**" + _("Vahvuudet") + "**")
        if strengths.empty:
            st.caption(_("Ei tilastollisesti selviä vahvuuksia."))
        for r in situation.records(strengths):
            st.markdown(f":blue[**●**] {md_escape(phrases.highlight_sentence(r, benchmark))}")
        st.markdown("**" + _("Haasteet") + "**")
        if challenges.empty:
            st.caption(_("Ei tilastollisesti selviä haasteita."))
        for r in situation.records(challenges):
            mark = ":orange[**▼**]" if r["trend"] == "worsening" else ":orange[**●**]"
            st.markdown(f"{mark} {md_escape(phrases.highlight_sentence(r, benchmark))}")


# --- per priority ---------------------------------------------------------------------------
# The first priority shown in full; the charts and "why this colour" of the others on demand
# (a toggle in a fragment: opening one reruns only that part). The URL's group, priority and
# benchmark stay as they are; ?priority=X shows X in full.
def details(p: str, part: pd.DataFrame) -> None:
    trend_tab, member_tab, why_tab = st.tabs(
        [_("Kehitys"), _("Kunnat vertailussa"), _("Miksi tämä väri?")])
    trend_spec, member_spec = compositions.priority_charts(version, group_id, benchmark, p, _sit=sit)
    with trend_tab:
        st.vega_lite_chart(trend_spec)
    with member_tab:
        st.vega_lite_chart(member_spec)
    with why_tab:
        names = dict(zip(part["indicator_id"], part["name"], strict=True))
        chosen = st.selectbox(_("Indikaattori"), list(names), key=f"why_{p}",
                              format_func=names.get)
        row = part.set_index("indicator_id").loc[chosen]
        row = {**row.to_dict(), "indicator_id": chosen}
        items = phrases.explanation(row, indicators.loc[chosen].to_dict(), benchmark)
        st.dataframe(pd.DataFrame(items, columns=["", _("Arvo")]), hide_index=True)


@st.fragment
def on_demand(p: str, part: pd.DataFrame) -> None:
    if st.toggle(_("Näytä kuvat ja ”Miksi tämä väri?”"), key=f"ov_open_{p}"):
        details(p, part)


for index, p in enumerate(shown):
    part = rows[rows["priority"] == p]
    if part.empty:
        continue
    st.header(priority_name(p))
    shown_table = overview_tables.table(version, group_id, benchmark, p, _sit=sit)
    st.dataframe(overview_tables.styled(shown_table), hide_index=True,
                 column_config=overview_tables.column_config(),
                 height=36 * (len(shown_table) + 1) + 4)
    st.caption(_("Alue = {area}. Luvut indikaattorin omassa yksikössä (ks. nimi). Värit "
                 "kuvaavat 95 %:n luottamusvälin vertailua; harmaa = ei verrattu.",
                 area=(benchmark_name("country") if benchmark == "country" else
                       benchmark_name(part["benchmark_label"].iloc[0]))))
    smalls = sorted({s for names in part["small_members"] if names for s in names.split(", ")})
    if smalls:
        st.caption(_("Pienet kunnat ({municipalities}): luvut vaihtelevat satunnaisesti ja "
                     "luottamusvälit ovat leveitä.", municipalities=md_escape(", ".join(smalls))))
    if index == 0:
        details(p, part)
    else:
        on_demand(p, part)


# --- järjestöt ryhmän alueella: the NGO survey's section (dashboard/ui/ngo_views.py) ----------
from dashboard.ui import ngo_views  # noqa: E402  (appended block: the NGO survey)

ngo_views.area_section(version, ctx.members, group_names[group_id], key="ov_ngo",
                       link_params={"group": group_id})

# --- downloads: the same overview as offline files (HTML, one-page PDF) -----------------------
from dashboard.ui import downloads  # noqa: E402  (appended block: presenter mode and exports)

st.header(_("Lataa tiedostoina"))
downloads.download_area(compositions.group_briefing(version, group_id, benchmark), key="ov_dl")
