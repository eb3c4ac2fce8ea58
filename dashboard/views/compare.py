"""Vertaile kuntia: any municipalities on any indicators, with intervals, outcomes and ranks."""

import streamlit as st

from dashboard.charts import base as charts
from dashboard.i18n.catalog import _, benchmark_name, gender_name, outcome_name, priority_name
from dashboard.i18n.formatting import built_text
from dashboard.model import comparison, phrases
from dashboard.reports import compare_table
from dashboard.reports import tables as table_files
from dashboard.ui import compositions, downloads, language, warehouse
from dashboard.ui import urlstate as params
from dashboard.ui.markup import md_escape

version = st.session_state["warehouse_version"]
groups = warehouse.groups(version)
regions = warehouse.regions(version)
indicators = warehouse.indicators(version)
info = warehouse.meta(version)
area_id, country_id = compositions.county_ids(version)

group_ids = list(groups["group_id"])
group_names = dict(zip(groups["group_id"], groups["name"], strict=True))
group_members = {g: [int(m) for m in ms] for g, ms in zip(groups["group_id"], groups["members"],
                                                          strict=True)}
munis = regions[(regions["category"] == "KUNTA") & (regions["county_id"] == area_id)]
muni_names = dict(zip(munis["region_id"].astype(int), munis["name"], strict=True))
muni_ids = sorted(muni_names, key=muni_names.get)
ind_names = dict(zip(indicators["indicator_id"].astype(int), indicators["short"], strict=True))
ind_ids = list(ind_names)
ind_priority = dict(zip(indicators["indicator_id"].astype(int), indicators["priority"],
                        strict=True))
area_name = compositions.area_name(version)


def priority_indicators(priority: str) -> list[int]:
    return [i for i in ind_ids if priority == "all" or ind_priority[i] == priority]


def fill_municipalities() -> None:
    st.session_state["cmp_munis"] = group_members.get(st.session_state["cmp_group"], [])


def fill_indicators() -> None:
    st.session_state["cmp_inds"] = priority_indicators(st.session_state["cmp_priority"])


st.title(_("Vertaile kuntia"))
st.caption(_("Valitse kunnat, indikaattorit, vuosi ja vertailukohta. Jokaisen kunnan arvoa "
              "verrataan vertailukohtaan 95 %:n luottamusvälillä; sija ja viidennes kertovat "
              "vain suhteellisen aseman alueen kunnista, eivät sitä, onko arvo hyvä vai huono."))

if "cmp_munis" not in st.session_state:
    state = params.parse_params(st.query_params.to_dict(), group_ids, range(1900, 2200))
    for note in state.notes:
        st.info(note, icon=":material/info:")
    st.session_state.update(
        cmp_group=state.group, cmp_munis=group_members[state.group],
        cmp_priority=state.priority, cmp_inds=priority_indicators(state.priority),
        cmp_benchmark=state.benchmark, cmp_gender=state.gender,
        cmp_year="latest" if state.year is None else state.year)

row1 = st.columns([2, 5])
row1[0].selectbox(_("Kuntaryhmä (täyttää kunnat)"), group_ids, key="cmp_group",
                  format_func=group_names.get, on_change=fill_municipalities)
chosen_munis = row1[1].multiselect(_("Kunnat"), muni_ids, key="cmp_munis",
                                   format_func=lambda r: muni_names.get(r, str(r)),
                                   placeholder=_("Valitse kunnat"))
row2 = st.columns([2, 5])
row2[0].selectbox(_("Painopiste (täyttää indikaattorit)"), params.PRIORITY_CHOICES,
                  key="cmp_priority", on_change=fill_indicators,
                  format_func=lambda p: _("Kaikki indikaattorit") if p == "all" else priority_name(p))
chosen_inds = row2[1].multiselect(_("Indikaattorit"), ind_ids, key="cmp_inds",
                                  format_func=lambda i: ind_names.get(i, str(i)),
                                  placeholder=_("Valitse indikaattorit"))

gender = st.session_state.get("cmp_gender", "total")
obs = warehouse.year_slice(version, tuple(sorted(chosen_inds)), gender) if chosen_inds else None
years = comparison.years_available(obs, muni_ids) if obs is not None else []
year_options = ["latest", *years]
if st.session_state.get("cmp_year") not in year_options:
    st.session_state["cmp_year"] = "latest"

row3 = st.columns([2, 3, 3])
year_choice = row3[0].selectbox(
    _("Vuosi"), year_options, key="cmp_year",
    format_func=lambda y: _("Uusin (indikaattorikohtainen)") if y == "latest" else str(y))
benchmark = row3[1].segmented_control(
    _("Vertailukohta"), params.BENCHMARK_CHOICES, key="cmp_benchmark", required=True,
    format_func=lambda b: area_name if b == "area" else _("Koko maa"))
row3[2].segmented_control(_("Sukupuoli"), comparison.GENDERS, key="cmp_gender", required=True,
                          format_func=lambda g: gender_name(g))

year = None if year_choice == "latest" else int(year_choice)
query = {"benchmark": benchmark, "gender": gender, "year": year_choice}
if chosen_munis == group_members.get(st.session_state["cmp_group"]):
    query["group"] = st.session_state["cmp_group"]
if chosen_inds == priority_indicators(st.session_state["cmp_priority"]):
    query["priority"] = st.session_state["cmp_priority"]
st.query_params.from_dict({**query, **language.url_params()})


# Short labels and fixed widths so the essential columns fit a 1400 px window with the
# sidebar; the full names are the help tooltips (and the download's column names). Keyed
# by the headers of this run's language, as the table is built (compare_table.column).
C = compare_table
col = C.column
TABLE_COLUMNS = {
    col(C.COL_NAME): st.column_config.TextColumn(width=190),
    col(C.COL_MUNI): st.column_config.TextColumn(width=88),
    col(C.COL_YEAR): st.column_config.TextColumn(width=50),
    col(C.COL_VALUE): st.column_config.TextColumn(width=64),
    col(C.COL_CI): st.column_config.TextColumn(
        width=96, help=_("95 %:n luottamusväli (alaraja–yläraja); ladattavassa taulukossa "
                         "kaksi lukusaraketta")),
    col(C.COL_OUTCOME): st.column_config.TextColumn(
        width=92, help=_("Arvo vertailukohtaan nähden 95 %:n luottamusvälillä")),
    col(C.COL_BENCH): st.column_config.TextColumn(width=88, help=_("Vertailukohdan arvo")),
    col(C.COL_RANK_AREA): st.column_config.TextColumn(
        _("Sija alue"), width=72, help=_(
            "{column}: 1 = paras indikaattorin suunnan mukaan (kun suuntaa ei ole, 1 = suurin "
            "arvo)", column=col(C.COL_RANK_AREA))),
    col(C.COL_RANK_COUNTRY): st.column_config.TextColumn(
        _("Sija maa"), width=72, help=_("{column} (1 = paras, kuten yllä)",
                                        column=col(C.COL_RANK_COUNTRY))),
    col(C.COL_QUINTILE): st.column_config.TextColumn(
        _("Viidennes"), width=76, help=_(
            "{column}: 1 = pienimmät arvot, 5 = suurimmat (suhteellinen asema, ei arvio "
            "hyvästä tai huonosta)", column=col(C.COL_QUINTILE))),
    col(C.COL_BENCH_WHERE): st.column_config.TextColumn(width=120),
}


def render() -> None:
    if not chosen_munis:
        st.info(_("Valitse vähintään yksi kunta (tai kuntaryhmä)."), icon=":material/info:")
        return
    if not chosen_inds:
        st.info(_("Valitse vähintään yksi indikaattori (tai painopiste)."), icon=":material/info:")
        return
    selection = (version, tuple(chosen_munis), tuple(chosen_inds), benchmark, year, gender)
    result = compositions.compared(*selection)
    for message in comparison.missing_message(result.missing, ind_names, year, gender):
        st.info(md_escape(message), icon=":material/info:")
    rows = result.rows
    if rows.empty:
        st.warning(_("Valinnoilla ei löytynyt yhtään kuntatietoa. Vaihda vuotta, sukupuolta "
                     "tai indikaattoreita."), icon=":material/search_off:")
        return
    years_shown = sorted({int(y) for y in rows["year"]})
    st.subheader(_("Yleiskuva"))
    where = md_escape(area_name) if benchmark == "area" else benchmark_name("country")
    years_text = ", ".join(str(y) for y in years_shown)
    if benchmark == "area":
        overview_text = _(
            "Vertailukohta: muu hyvinvointialue eli {where} ilman kuntaa, missä sen voi laskea, "
            "muuten {where} (taulukon vertailukohta-sarake kertoo kumpi). Sukupuoli: {gender}. "
            "Vuodet: {years}. Harmaa = ei verrattu (väliä ei voi laskea, esim. kyselyt ja "
            "indeksit).", where=where, gender=gender_name(gender), years=years_text)
    else:
        overview_text = _(
            "Vertailukohta: {where}. Sukupuoli: {gender}. Vuodet: {years}. Harmaa = ei verrattu "
            "(väliä ei voi laskea, esim. kyselyt ja indeksit).",
            where=where, gender=gender_name(gender), years=years_text)
    st.caption(overview_text)
    order = [muni_names[m] for m in chosen_munis if m in muni_names]
    heat_spec, dots_spec = compositions.compare_charts(*selection)
    st.vega_lite_chart(heat_spec)
    with st.popover(_("Miten vertailu tehdään?"), icon=":material/straighten:"):
        st.markdown(phrases.method_text())

    st.subheader(_("Taulukko"))
    shown, typed = compositions.compare_tables(*selection)
    colors = {outcome_name(k): v for k, v in charts.OUTCOME_COLORS.items()}
    light = {outcome_name("better"), outcome_name("worse")}

    def paint(v):
        if v in colors:
            return f"background-color: {colors[v]}; color: {'white' if v in light else '#111'}"
        return ""

    st.dataframe(shown.style.map(paint, subset=[col(C.COL_OUTCOME)]), hide_index=True,
                 column_config={c: TABLE_COLUMNS[c] for c in shown.columns})
    st.caption(_("Sija: 1 = paras indikaattorin suunnan mukaan (kun suuntaa ei ole, 1 = suurin "
                  "arvo); tasatilanteissa sama sija. Sija ei kerro, onko ero tilastollisesti selvä."
                  " Viidennes: 1 = alueen kuntien pienimpien arvojen viidennes, 5 = suurimpien – "
                  "suhteellinen asema, ei arvio hyvästä tai huonosta.")
               + ("" if result.country_rank_available else " " + _(
                   "Koko maan sijaa ei voi laskea: tietovarastossa on vain alueen kunnat.")))
    from dashboard.ui import card_views  # links to the compared municipalities' kuntakortit
    card_views.card_links(version, list(chosen_munis))
    used = indicators[indicators["indicator_id"].isin(rows["indicator_id"].unique())]
    source = table_files.source_line(
        used["producer"], built_text(info.get("built_at")), info.get("is_demo") == "true",
        _("Vertailu: {municipalities}. Vuodet {years}", municipalities=", ".join(order),
          years=years_text))
    stem = f"hyte_vertailu_{year_choice}_{gender}"
    downloads.table_downloads(typed, source, stem, key="cmp")
    st.caption(_("Lataukset sisältävät samat rivit ja arvot kuin taulukko (luottamusvälin "
                 "rajat omina lukusarakkeinaan; CSV: UTF-8, puolipiste-erotin ja "
                 "desimaalipilkku Excelille, lähde ensimmäisellä rivillä; Parquet: lähde "
                 "metatiedoissa)."))

    st.subheader(_("Kunnat indikaattoreittain"))
    st.vega_lite_chart(dots_spec)


render()
