"""Indikaattorit: search every Sotkanet indicator the warehouse describes, read its metadata,
chart and download those whose data are loaded (and learn the command for the others)."""

import pandas as pd
import streamlit as st

from dashboard.charts import tilemap
from dashboard.i18n import names as display_names
from dashboard.i18n.catalog import LANGUAGES, PRIORITY_ORDER, _, current, gender_name, priority_name
from dashboard.i18n.formatting import built_text, number
from dashboard.model import comparison, explorer
from dashboard.reports import explore_table
from dashboard.reports import tables as table_files
from dashboard.ui import card_views, compositions, downloads, language, warehouse
from dashboard.ui import urlstate as params
from dashboard.ui.markup import md_escape

version = st.session_state["warehouse_version"]
indicators = warehouse.explorer_catalogue(version)
regions = warehouse.regions(version)
groups = warehouse.groups(version)
info = warehouse.meta(version)
area_id, country_id = compositions.county_ids(version)
by_id = indicators.set_index("indicator_id", drop=False)
munis = regions[(regions["category"] == "KUNTA") & (regions["county_id"] == area_id)].sort_values(
    "name")
names = dict(zip(regions["region_id"].astype(int), regions["name"], strict=True))
# Any municipality of Finland can be compared: the county's first, then the others by name.
elsewhere = regions[(regions["category"] == "KUNTA") & (regions["county_id"] != area_id)]
region_options = [area_id, country_id, *munis["region_id"].astype(int),
                  *elsewhere.sort_values("name")["region_id"].astype(int)]
no_data_mark = _("ei ladattu")
labels = {int(i): (f"{t} ({int(i)})" if has else f"{t} ({int(i)}) · {no_data_mark}")
          for i, t, has in zip(indicators["indicator_id"], indicators["title"],
                               indicators["has_data"], strict=True)}

st.title(_("Indikaattorit"))
st.caption(_("Hae mitä tahansa Sotkanetin indikaattoria suomen-, ruotsin- tai englanninkielisen "
             "nimen sanoilla, tuottajalla, aihepiirillä tai tunnuksella. Indikaattorit, joiden "
             "tietoja ei ole ladattu tietovarastoon, on merkitty: niistä näytetään kuvaus ja "
             "latauskomento."))

if "exp_ind" not in st.session_state:
    chosen, note = params.parse_indicator(st.query_params.to_dict(),
                                            list(indicators["indicator_id"].astype(int)))
    if note:
        st.info(note, icon=":material/info:")
    first = indicators[indicators["priority"] == PRIORITY_ORDER[0]]["indicator_id"]
    st.session_state["exp_ind"] = chosen if chosen is not None else int(
        (first if len(first) else indicators["indicator_id"]).iloc[0])

cols = st.columns([4, 3, 3])
query = cols[0].text_input(_("Hae nimen sanoilla (suomi, ruotsi, englanti)"), key="exp_q",
                           placeholder=_("esim. masennus, arbetslösa, physical"))
priorities = cols[1].multiselect(_("Painopiste"), PRIORITY_ORDER, key="exp_priorities",
                                 format_func=priority_name, placeholder=_("Kaikki"))
producers = cols[2].multiselect(_("Tuottaja"), sorted(indicators["producer"].dropna().unique()),
                                key="exp_producers", placeholder=_("Kaikki"))
loaded_only = st.checkbox(_("Vain indikaattorit, joiden tiedot ovat tietovarastossa"),
                          key="exp_loaded")
found = explorer.search(indicators, query, priorities, producers, loaded_only)


def render_metadata(ind: dict, iid: int, held) -> None:
    facts = explorer.facts(ind, held)
    fact_cols = st.columns(4)
    for n, (label, value) in enumerate(facts):
        fact_cols[n % 4].markdown(f"**{md_escape(label)}**  \n{md_escape(value)}")
    st.link_button(_("Indikaattori Sotkanetissa"), explorer.sotkanet_url(iid),
                   icon=":material/open_in_new:")
    # The description opens by itself; its label is the model's (Finnish until model
    # translates it, then translated: both are recognised).
    description = explorer.METADATA_TEXTS[0][0]
    for label, text in explorer.texts(ind):
        with st.expander(label, expanded=label in (description, _(description))):
            st.markdown(md_escape(text))


def render() -> None:
    if found.empty:
        st.info(_("Hakuehdoilla ei löytynyt indikaattoreita. Kokeile toista sanaa tai poista "
                  "rajauksia."), icon=":material/search_off:")
        return
    options = [int(i) for i in found["indicator_id"]]
    if st.session_state.get("exp_ind") not in options:
        st.session_state["exp_ind"] = options[0]
    iid = st.selectbox(_("Indikaattori ({found} / {total} löytyi)",
                         found=number(len(options), 0), total=number(len(indicators), 0)),
                       options, key="exp_ind", format_func=lambda i: labels.get(i, str(i)))
    st.query_params.from_dict({"indicator": iid, **language.url_params()})
    ind = by_id.loc[iid].to_dict()

    # --- metadata --------------------------------------------------------------------------
    st.header(md_escape(display_names.text(ind, "title")))
    # The title in the other two languages (as the warehouse holds them, unmarked).
    others = [md_escape(ind.get(f"title_{lang}")) for lang in LANGUAGES if lang != current()
              and isinstance(ind.get(f"title_{lang}"), str) and ind.get(f"title_{lang}").strip()]
    if others:
        st.caption(" · ".join(others))
    if ind.get("load_status") == "failed":
        st.warning(_("Indikaattorin lataus epäonnistui: {detail}",
                     detail=md_escape(ind.get("load_detail"))), icon=":material/error:")
    if not ind.get("has_data"):
        render_metadata(ind, iid, None)
        st.info(_("Tämän indikaattorin tietoja ei ole ladattu tietovarastoon. Ne ladataan "
                  "(ja pidetään mukana seuraavissa latauksissa) komennolla:"),
                icon=":material/download:")
        st.code(explorer.ingest_command(iid), language="bash")
        return
    obs_all = warehouse.year_slice(version, (iid,), "total")
    held = ((int(obs_all["year"].min()), int(obs_all["year"].max()))
            if not obs_all.empty else None)
    render_metadata(ind, iid, held)

    # --- time series -----------------------------------------------------------------------
    st.subheader(_("Aikasarja"))
    if "exp_regions" not in st.session_state:  # first view, or after an indicator without data
        first_group = [int(m) for m in groups["members"].iloc[0]] if len(groups) else []
        st.session_state["exp_regions"] = [area_id, country_id, *first_group[:2]]
    c1, c2 = st.columns([5, 3])
    chosen = c1.multiselect(_("Alueet"), region_options, key="exp_regions",
                            format_func=lambda r: names.get(r, str(r)),
                            placeholder=_("Valitse alueet"), max_selections=explorer.MAX_REGIONS)
    genders = c2.multiselect(_("Sukupuoli"), comparison.GENDERS, default=["total"],
                             key="exp_genders", format_func=lambda g: gender_name(g),
                             placeholder=_("Valitse sukupuoli"))
    if not chosen or not genders:
        st.info(_("Valitse vähintään yksi alue ja sukupuoli."), icon=":material/info:")
    else:
        frame, series_spec = compositions.series_view(version, iid, tuple(chosen),
                                                          tuple(genders))
        if frame.empty:
            missing = [gender_name(g) for g in genders]
            st.info(_("Valituille alueille ei ole tietoja ({genders}). Aikuisten kyselyitä "
                      "julkaistaan usein vain hyvinvointialueelle ja koko maalle.",
                      genders=", ".join(missing)), icon=":material/info:")
        else:
            absent = [names.get(r, str(r)) for r in chosen if r not in set(frame["region_id"])]
            if absent:
                st.caption(_("Ei tietoja: {regions}.", regions=md_escape(", ".join(absent))))
            st.vega_lite_chart(series_spec)
            typed, decimals = explore_table.series_table(frame, int(ind["decimals"]))
            st.dataframe(table_files.screen(typed, decimals), hide_index=True, height=300)
            source = table_files.source_line(
                [ind.get("producer")], built_text(info.get("built_at")),
                info.get("is_demo") == "true",
                _("Indikaattori {indicator_id}: {title}", indicator_id=iid,
                  title=display_names.text(ind, "title")))
            stem = f"sotkanet_{iid}_aikasarja"
            downloads.table_downloads(typed, source, stem, key="exp")
            st.caption(_("Lataukset sisältävät täsmälleen taulukon rivit (CSV: UTF-8, "
                         "puolipiste-erotin ja desimaalipilkku Excelille; lähde ensimmäisellä "
                         "rivillä, Parquet: lähde tiedoston metatiedoissa)."))

    # --- tile map --------------------------------------------------------------------------
    st.subheader(_("Kunnat kartalla"))
    gender = "total" if "total" in genders or not genders else genders[0]
    part = warehouse.year_slice(version, (iid,), gender)
    years = comparison.years_available(part, list(munis["region_id"].astype(int)))
    if not years:
        st.info(_("Tätä indikaattoria ei julkaista kunnittain (vain hyvinvointialue ja koko "
                  "maa), joten karttaa ei voi piirtää."), icon=":material/info:")
        return
    if st.session_state.get("exp_year") not in years:
        st.session_state["exp_year"] = years[0]
    year = st.selectbox(_("Vuosi"), years, key="exp_year")
    tile_spec, unplaced = compositions.tile_view(version, iid, gender, int(year))
    st.vega_lite_chart(tile_spec)
    st.caption(_("Ruudut sijaitsevat suunnilleen kuntien maantieteellisillä paikoilla. Väri "
                 "= viidennes alueen kuntien arvoista tänä vuonna; se kertoo suhteellisen "
                 "aseman, ei sitä, onko arvo hyvä vai huono. Pienten kuntien luvut vaihtelevat "
                 "satunnaisesti."))
    card_views.card_links(version)  # the tile map's municipalities, each to its card
    if not unplaced.empty:
        st.caption(_("Kunnat, joille ruudukossa ei ole paikkaa:"))
        st.dataframe(pd.DataFrame({
            _("Kunta"): [names.get(int(r), str(r)) for r in unplaced["region_id"]],
            _("Arvo"): [number(v, int(ind["decimals"])) for v in unplaced["value"]],
            _("Viidennes"): [tilemap.quintile_label(q) for q in unplaced["quintile"]]}),
            hide_index=True)


render()
