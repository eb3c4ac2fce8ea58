"""Ryhmän tilannekuva: the workshop opener for one municipality group (render only)."""

import math

import pandas as pd
import streamlit as st

from dashboard.charts import base as charts
from dashboard.i18n.catalog import PRIORITY_ORDER, _, benchmark_name, outcome_name, priority_name, trend_name
from dashboard.i18n.formatting import interval, number
from dashboard.model import phrases, situation
from dashboard.ui import compositions, records, warehouse
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

group_names = dict(zip(groups["group_id"], groups["name_fi"], strict=True))
controls = st.columns([3, 4, 2])
group_id = controls[0].selectbox("Kuntaryhmä", group_ids, format_func=group_names.get,
                                 key="ov_group")
priority = controls[1].segmented_control(
    "Painopiste", params.PRIORITY_CHOICES, key="ov_priority", required=True,
    format_func=lambda p: "Kaikki" if p == "all" else priority_name(p))
benchmark = controls[2].segmented_control(
    "Vertailu", params.BENCHMARK_CHOICES, key="ov_benchmark", required=True,
    format_func=lambda b: "Hyvinvointialue" if b == "area" else "Koko maa")
st.query_params.update(group=group_id, priority=priority, benchmark=benchmark)

sit = compositions.group_situation(version, group_id, benchmark)
ctx = compositions.group_context(version, group_id, benchmark)
rows = sit.rows
regions = warehouse.regions(version).set_index("region_id")
area_name = regions.loc[ctx.area_id, "name_fi"]
member_names = [ctx.names[m] for m in ctx.members]
population = situation.group_population(ctx.populations, ctx.members)
pop_year = regions.loc[list(ctx.members), "population_year"].max()

# --- header -----------------------------------------------------------------------------
st.title(group_names[group_id])
vintage = situation.vintage(rows)
st.markdown(
    f"**Kunnat:** {md_escape(', '.join(member_names))}  \n"
    f"**Väestö:** {number(population, 0)} asukasta"
    + (f" ({int(pop_year)})" if pd.notna(pop_year) else "")
    + "  \n**Tiedot vuosilta:** "
    + " · ".join(f"{priority_name(p)} {vintage[p]}" for p in PRIORITY_ORDER
                 if vintage.get(p)))
shown = [p for p in PRIORITY_ORDER if priority in ("all", p)]
large = rows["benchmark_label"].eq("rest_of_area").any()
bench_text = ("koko maahan" if benchmark == "country" else
              "muuhun hyvinvointialueeseen (ryhmä on yli 30 % alueen väestöstä, joten sitä ei "
              "verrata itseensä)" if large else f"alueeseen {md_escape(area_name)}")
st.caption(f"Ryhmän arvo on jäsenkuntien yhdistetty arvo (osoittajat ja nimittäjät yhteen). "
           f"Vertailu {bench_text}. Värit: sininen parempi, keltainen samaa tasoa, oranssi "
           f"heikompi, violetti korkeampi/matalampi (ei hyvä–huono-suuntaa), harmaa ei verrattu.")
with st.popover("Miten vertailu tehdään?", icon=":material/straighten:"):
    st.markdown(_("Ryhmän tai kunnan arvoa verrataan vertailualueeseen. Arvon ympärille lasketaan "
                   "luottamusväli osoittajasta (tapausten määrä) ja nimittäjästä: osuuksille "
                   "Wilsonin väli, ilmaantuvuuksille Poisson-jakauman tarkka väli (Byarin "
                   "approksimaatio). Jos vertailuarvo osuu välille, tulos on *samaa tasoa*; muuten "
                   "*parempi* tai *heikompi* indikaattorin suunnan mukaan – tai "
                   "*korkeampi*/*matalampi*, kun indikaattorilla ei ole hyvä/huono-suuntaa. Jos "
                   "väliä ei voi laskea (ei osoittajaa, esim. kyselyt ja indeksit), tulosta ei "
                   "väritetä (*ei verrattu*). Taulukoissa käytetään 95 %:n väliä, nostoissa 99,8 %:n"
                   " väliä, koska kerralla testataan kymmeniä indikaattoreita. Kehityssuunta "
                   "arvioidaan viiden viimeisimmän havainnon lineaarisesta trendistä (95 %). "
                   "Pienissä kunnissa välit ovat leveitä: satunnaisvaihtelu on suurta."))

records.last_round_block(version, group_id)  # Viime neuvottelussa sovittiin (ui.records)

# --- key phenomena ------------------------------------------------------------------------
st.header("Keskeiset ilmiöt")
st.caption("Nostot valitaan säännöllä: 99,8 %:n luottamusväli ei sisällä vertailuarvoa; "
           "ensin ”heikompi ja heikkenevä”, sitten suurin suhteellinen ero. Enintään kolme "
           "vahvuutta ja kolme haastetta painopistettä kohden; ei koskaan indikaattorista, "
           "jota ei voi verrata.")
cols = st.columns(3)
for col, p in zip(cols, PRIORITY_ORDER[:3], strict=True):
    strengths, challenges = situation.highlights(rows, p)
    with col.container(border=True):
        st.subheader(priority_name(p))
        st.markdown("**Vahvuudet**")
        if strengths.empty:
            st.caption("Ei tilastollisesti selviä vahvuuksia.")
        for r in situation.records(strengths):
            st.markdown(f":blue[**●**] {md_escape(phrases.highlight_sentence(r, benchmark))}")
        st.markdown("**Haasteet**")
        if challenges.empty:
            st.caption("Ei tilastollisesti selviä haasteita.")
        for r in situation.records(challenges):
            mark = ":orange[**▼**]" if r["trend"] == "worsening" else ":orange[**●**]"
            st.markdown(f"{mark} {md_escape(phrases.highlight_sentence(r, benchmark))}")


# --- per priority ---------------------------------------------------------------------------
def outcome_cell(outcome: str) -> str:
    return outcome_name(outcome)


def table(part: pd.DataFrame) -> pd.DataFrame:
    """Outcomes next to the values they judge; numbers without unit (the name carries it)."""
    def fmt(v, r):
        return number(v, r["decimals"])

    out = []
    for r in situation.records(part):
        spread = ("–" if r["spread_min_name"] is None else
                  f"{r['spread_min_name']} {fmt(r['spread_min'], r)} – "
                  f"{r['spread_max_name']} {fmt(r['spread_max'], r)}")
        bench = r["benchmark_value"] if not math.isnan(r["benchmark_value"]) else r["area_value"]
        out.append({
            "Indikaattori": r["name"],
            "Vuosi": str(r["year"]) if r["year"] else "–",
            "Ryhmä": ("vain alue" if r["county_only"] else fmt(r["value"], r)),
            "95 %:n väli": interval(r["lo"], r["hi"], r["decimals"]),
            "vs. alue": outcome_cell(r["outcome_area"]),
            "Alue": fmt(bench, r),
            "vs. maa": outcome_cell(r["outcome_country"]),
            "Koko maa": fmt(r["country_value"], r),
            "Suunta (5 hav.)": trend_name(r["trend"]),
            "Kunnat (pienin – suurin)": spread,
        })
    return pd.DataFrame(out)


TABLE_COLUMNS = {
    "Indikaattori": st.column_config.TextColumn(width="large"),
    "Vuosi": st.column_config.TextColumn(width=48),
    "Ryhmä": st.column_config.TextColumn(width=80),
    "95 %:n väli": st.column_config.TextColumn(width=95),
    "vs. alue": st.column_config.TextColumn(width=100),
    "Alue": st.column_config.TextColumn(width=70),
    "vs. maa": st.column_config.TextColumn(width=100),
    "Koko maa": st.column_config.TextColumn(width=70),
    "Suunta (5 hav.)": st.column_config.TextColumn(width=130),
}


def style(frame: pd.DataFrame):
    colors = {outcome_name(k): v for k, v in charts.OUTCOME_COLORS.items()}
    text = {outcome_name("better"): "white"}

    def paint(v):
        if v in colors:
            return f"background-color: {colors[v]}; color: {text.get(v, '#111')}"
        return ""

    return frame.style.map(paint, subset=["vs. alue", "vs. maa"])


for p in shown:
    part = rows[rows["priority"] == p]
    if part.empty:
        continue
    st.header(priority_name(p))
    shown_table = table(part)
    st.dataframe(style(shown_table), hide_index=True, column_config=TABLE_COLUMNS,
                 height=36 * (len(shown_table) + 1) + 4)
    st.caption("Alue = " + ("koko maa" if benchmark == "country" else
                            benchmark_name(part['benchmark_label'].iloc[0]))
               + ". Luvut indikaattorin omassa yksikössä (ks. nimi). Värit kuvaavat 95 %:n "
               "luottamusvälin vertailua; harmaa = ei verrattu.")
    smalls = sorted({s for names in part["small_members"] if names for s in names.split(", ")})
    if smalls:
        st.caption(f"Pienet kunnat ({md_escape(', '.join(smalls))}): luvut vaihtelevat "
                   "satunnaisesti ja luottamusvälit ovat leveitä.")
    trend_tab, member_tab, why_tab = st.tabs(["Kehitys", "Kunnat vertailussa", "Miksi tämä väri?"])
    trend_spec, member_spec = compositions.priority_charts(version, group_id, benchmark, p, _sit=sit)
    with trend_tab:
        st.vega_lite_chart(trend_spec)
    with member_tab:
        st.vega_lite_chart(member_spec)
    with why_tab:
        options = list(part["indicator_id"])
        chosen = st.selectbox("Indikaattori", options, key=f"why_{p}",
                              format_func=lambda i: rows.set_index("indicator_id").loc[i, "name"])
        row = part.set_index("indicator_id").loc[chosen]
        row = {**row.to_dict(), "indicator_id": chosen}
        items = phrases.explanation(row, indicators.loc[chosen].to_dict(), benchmark)
        st.dataframe(pd.DataFrame(items, columns=["", "Arvo"]), hide_index=True)


# --- downloads: the same overview as offline files (HTML, one-page PDF) -----------------------
from dashboard.ui import downloads  # noqa: E402  (appended block: presenter mode and exports)

st.header(_("Lataa tiedostoina"))
downloads.download_area(compositions.group_briefing(version, group_id, benchmark), key="ov_dl")
