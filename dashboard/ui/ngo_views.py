"""The NGO survey in the dashboard: cached pictures, and the blocks other pages show.

The Järjestöt page, the group overview's and the kuntakortti's "järjestöt alueella"
sections and the presenter's NGO slide all come from here, built from model.ngo's
suppressed pictures (so none can show a cell of 1–4). The free-text development needs are
read only when the session may edit (the editors of the negotiation record).
Cached by the warehouse version, the selection and the language; small keys only.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.charts import ngo as ngo_charts
from dashboard.i18n.catalog import _, current
from dashboard.i18n.formatting import number
from dashboard.model import ngo
from dashboard.reports import ngo_slide, ngo_table
from dashboard.reports.slides import Slide
from dashboard.ui import records, warehouse
from dashboard.ui.markup import md_escape

PAGE_FILE = "views/ngo.py"


@st.cache_data(show_spinner=False, max_entries=8)
def _answers(version: str) -> ngo.Answers | None:
    frames = data.ngo_answers(version)
    return None if frames is None else ngo.Answers(frames)


def answers(version: str) -> ngo.Answers | None:
    """The loaded surveys' answers (public tables only), or None when no survey is loaded."""
    return _answers(version)


def municipality_names(version: str) -> dict[int, str]:
    regions = warehouse.regions(version)
    munis = regions[regions["category"] == "KUNTA"]
    return dict(zip(munis["region_id"].astype(int), munis["name"], strict=True))


def group_scope(version: str, group_id: str) -> tuple[tuple[int, ...], str]:
    groups = warehouse.groups(version).set_index("group_id")
    names = municipality_names(version)
    members = tuple(int(m) for m in groups.loc[group_id, "members"])
    return tuple(sorted(members, key=lambda m: names.get(m, ""))), str(groups.loc[group_id, "name"])


def picture(version: str, survey_id: str, region_ids: tuple[int, ...], area: str,
            priority: str | None = None) -> ngo.Picture:
    return _picture(version, survey_id, tuple(region_ids), area, priority, lang=current())


@st.cache_data(show_spinner=False, max_entries=128)
def _picture(version: str, survey_id: str, region_ids: tuple[int, ...], area: str,
             priority: str | None, *, lang: str) -> ngo.Picture:
    # lang: only part of the key; the labels inside follow the run's language
    return ngo.picture(answers(version), survey_id, region_ids, area,
                       municipality_names(version), priority)


def comparison(version: str, region_ids: tuple[int, ...], area: str,
               priority: str | None = None) -> pd.DataFrame:
    return _comparison(version, tuple(region_ids), area, priority, lang=current())


@st.cache_data(show_spinner=False, max_entries=64)
def _comparison(version: str, region_ids: tuple[int, ...], area: str, priority: str | None,
                *, lang: str) -> pd.DataFrame:
    return ngo.rounds_comparison(answers(version), region_ids, area,
                                 municipality_names(version), priority)


def latest_survey(version: str) -> dict | None:
    ans = answers(version)
    return None if ans is None else ans.rounds()[-1]


def surveys_table(version: str) -> None:
    """The status page's list of loaded NGO surveys (name, round, organisations, file)."""
    ans = answers(version)
    st.subheader(_("Järjestökyselyt"))
    if ans is None:
        st.caption(_("Järjestökyselyä ei ole ladattu (kansio data/surveys/, README: "
                     "Järjestökysely)."))
        return
    s = ans.surveys
    st.dataframe(pd.DataFrame({
        _("Kysely"): s["name"], _("Kierros"): s["round_year"].astype(int).astype(str),
        _("Vastanneita järjestöjä"): [number(n, 0) for n in s["organisations"]],
        _("Tiedosto"): s["file_name"],
        _("Demo"): [_("kyllä") if d else _("ei") for d in s["is_demo"]]}), hide_index=True)


def needs_block(version: str, survey_id: str, region_ids: tuple[int, ...]) -> None:
    """The free-text development needs, for editors only (never cached for the public)."""
    if not records.can_edit():
        st.caption(_("Järjestöjen vapaat vastaukset (kehittämistarpeet ja toiveet) näkyvät vain "
                     "muokkausoikeuden haltijoille, eivätkä ne sisälly ladattaviin tiedostoihin."))
        return
    texts = data.ngo_needs(version, survey_id, tuple(region_ids))
    with st.expander(_("Kehittämistarpeet ja toiveet: {n} vapaata vastausta (vain "
                       "muokkaajille)", n=len(texts)), icon=":material/lock:"):
        st.caption(_("Järjestöjen omia sanoja; sähköpostiosoitteet ja puhelinnumerot on "
                     "poistettu tuonnissa. Älä jaa näitä eteenpäin sellaisenaan."))
        for text in texts:
            st.markdown("- " + md_escape(text))


def area_section(version: str, region_ids: tuple[int, ...], area: str, key: str,
                 link_params: dict | None = None) -> None:
    """"Järjestöt alueella": the latest round's headline and two charts (nothing without a
    survey). For the group overview and the kuntakortti."""
    survey = latest_survey(version)
    if survey is None:
        return
    p = picture(version, survey["survey_id"], region_ids, area)
    st.header(_("Järjestöt alueella"))
    st.markdown(md_escape(p.headline()))
    if p.shown:
        left, right = st.columns(2)
        left.vega_lite_chart(ngo_charts.breakdown(p.activities, _("Toimintamuodot"), p.chart_source()),
                             width="stretch")
        right.vega_lite_chart(ngo_charts.breakdown(p.targets, _("Kohderyhmät"), p.chart_source()),
                              width="stretch")
    st.caption(md_escape(p.source()))
    st.page_link(PAGE_FILE, label=_("Järjestöt: koko kuva ja kierrosten vertailu"),
                 icon=":material/diversity_3:", query_params=link_params or {})


def with_ngo_slide(version: str, group_id: str, deck: list[Slide]) -> list[Slide]:
    """The deck with the group's NGO slide before the closing slide (as is without a survey)."""
    survey = latest_survey(version)
    if survey is None:
        return deck
    region_ids, area = group_scope(version, group_id)
    p = picture(version, survey["survey_id"], region_ids, area)
    slide = ngo_slide.ngo_slide(p, comparison(version, region_ids, area))
    return [*deck[:-1], slide, deck[-1]] if deck else [slide]


def downloads(p: ngo.Picture, comp: pd.DataFrame | None, key: str) -> None:
    """CSV and Parquet of the suppressed tables (never the free text)."""
    files = ngo_table.files(p, comp)
    cols = st.columns(max(len(files), 2))
    for col, (name, content) in zip(cols, files.items(), strict=False):
        mime = "text/csv" if name.endswith(".csv") else "application/vnd.apache.parquet"
        col.download_button(name, content, name, mime, key=f"{key}_{name}", on_click="ignore",
                            icon=":material/download:")
