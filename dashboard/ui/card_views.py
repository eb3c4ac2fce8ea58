"""The municipality card's compositions for the page, cached across sessions by small keys;
its URL state, its download buttons and the links other pages show to it.

Keys are the warehouse version, the region id and the language (the card's texts follow
it), never frames. reports.kuntakortti_assemble does the building, as `hyte export` does it
uncached; the county's positions (ranks, ranges) are one cached piece shared by every card.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from dashboard.charts import base as charts
from dashboard.charts import kuntakortti as card_charts
from dashboard.i18n.catalog import _, current, outcome_name
from dashboard.model import comparison, kuntakortti
from dashboard.reports import export, kuntakortti_html
from dashboard.reports import kuntakortti_assemble as assemble
from dashboard.ui import language, warehouse
from dashboard.ui.markup import md_escape

URL_KEY = "kunta"
PAGE_FILE = "views/kunta.py"  # for st.page_link, relative to app.py


def municipalities(version: str) -> pd.DataFrame:
    """The county's municipalities (region_id, code, name), by name."""
    munis = assemble.municipalities(warehouse.catalogue(version))
    return munis[["region_id", "code", "name"]].reset_index(drop=True)


def parse(version: str, raw: Mapping) -> tuple[int | None, str | None]:
    """`?kunta=179` -> (region id, None); a missing code -> (None, None); anything else ->
    (None, a note). The code is untrusted text and never shown back."""
    value = raw.get(URL_KEY)
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    if value is None:
        return None, None
    rid = kuntakortti.resolve(warehouse.regions(version), warehouse.meta(version), value)
    if rid is None:
        return None, _("Linkin kuntaa ei tunnistettu; valitse kunta listasta.")
    return rid, None


def code_of(version: str, region_id: int) -> str:
    munis = municipalities(version)
    return str(munis.loc[munis["region_id"] == region_id, "code"].iloc[0])


def card_links(version: str, region_ids: Sequence[int] | None = None,
               label: str | None = None) -> None:
    """One row of links to these municipalities' cards (all of the county's: None).

    Page links, not Markdown links: Streamlit opens those in a new tab and a new session;
    a page link opens the card in the same tab, in the same session and language.
    """
    munis = municipalities(version)
    if region_ids is not None:
        order = {int(r): i for i, r in enumerate(region_ids)}
        munis = munis[munis["region_id"].isin(list(order))]
        munis = munis.assign(_o=munis["region_id"].map(order)).sort_values("_o")
    if munis.empty:
        return
    label = label if label is not None else _("Kuntakortit")
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        st.markdown("**" + md_escape(label) + "**")
        for code, name in zip(munis["code"].astype(str), munis["name"], strict=True):
            st.page_link(PAGE_FILE, label=str(name), icon=":material/location_city:",
                         query_params={URL_KEY: code, **language.url_params()})


# --- the cached card -------------------------------------------------------------------------


def _year_slice(version: str) -> pd.DataFrame:
    ids = tuple(sorted(int(i) for i in warehouse.indicators(version)["indicator_id"]))
    return warehouse.year_slice(version, ids, "total")


@st.cache_data(show_spinner=False, max_entries=8)
def _county(version: str, *, lang: str) -> comparison.Comparison:
    # lang: the municipalities' names in the positions follow the language
    return assemble.county_positions(warehouse.catalogue(version), _year_slice(version))


def card(version: str, region_id: int) -> kuntakortti.Card:
    return _card(version, int(region_id), lang=current())


@st.cache_data(show_spinner=False, max_entries=64)
def _card(version: str, region_id: int, *, lang: str) -> kuntakortti.Card:
    # lang: only part of the key; the texts inside follow the run's language
    cat = warehouse.catalogue(version)
    area_id, country_id = assemble.county_ids(cat)
    obs = warehouse.observations(version, (region_id, area_id, country_id))
    sit = assemble.card_situation(version, cat, region_id, obs)
    return kuntakortti.build(region_id, cat, sit, _year_slice(version), _county(version, lang=lang))


def charts_of(version: str, region_id: int,
              _card: kuntakortti.Card | None = None) -> list[tuple[str, dict]]:
    """(priority, spec) of the card's sections, cached; `_card`: the caller's card (not hashed)."""
    return _charts(version, int(region_id), _card=_card, lang=current())


@st.cache_data(show_spinner=False, max_entries=64)
def _charts(version: str, region_id: int, _card: kuntakortti.Card | None = None, *,
            lang: str) -> list[tuple[str, dict]]:
    # lang: only part of the key; the texts inside follow the run's language
    return card_charts.card_charts(_card if _card is not None else card(version, region_id))


def group_cards(version: str, group_id: str) -> list[kuntakortti.Card]:
    groups = {g: members for g, _n, members in assemble.groups_of(warehouse.catalogue(version))}
    return [card(version, m) for m in groups.get(group_id, [])]


def table(c: kuntakortti.Card, section: kuntakortti.Section) -> pd.DataFrame:
    """Every number of a section as text, the indicator's whole name first (the HTML's table)."""
    heads = kuntakortti_html.table_headers(c)
    return pd.DataFrame([[text for text, _o, _n in kuntakortti_html.table_cells(c, row)]
                         for row in section.rows], columns=heads)


def table_style(c: kuntakortti.Card, frame: pd.DataFrame):
    """The outcome columns coloured as everywhere (white text on the dark blue)."""
    colours = {outcome_name(k): v for k, v in charts.OUTCOME_COLORS.items()}
    text = {outcome_name("better"): "white"}

    def paint(v):
        if v in colours:
            return f"background-color: {colours[v]}; color: {text.get(v, '#111')}"
        return ""

    heads = kuntakortti_html.table_headers(c)
    return frame.style.map(paint, subset=[heads[5], heads[7]])


# --- downloads -------------------------------------------------------------------------------


def downloads(version: str, c: kuntakortti.Card, key: str = "kk_dl") -> None:
    """This card (PDF, HTML) and this group's cards (PDF); files are made only when clicked."""
    stem = export.card_stem(c)
    st.caption(_("Tiedostot toimivat ilman verkkoyhteyttä: PDF on tulostettava A4-sivu "
                 "kuntaa kohden, HTML avautuu selaimessa ilman palvelinta."))
    cols = st.columns(3)
    cols[0].download_button(
        _("Tämä kuntakortti (PDF)"), data=lambda: export.card_pdf_bytes(c),
        file_name=f"{stem}.pdf", mime="application/pdf", icon=":material/picture_as_pdf:",
        on_click="ignore", key=f"{key}_pdf")
    cols[1].download_button(
        _("Tämä kuntakortti (HTML)"), data=lambda: export.card_html_bytes(c),
        file_name=f"{stem}.html", mime="text/html", icon=":material/html:", on_click="ignore",
        key=f"{key}_html")
    if c.group_id:
        gid, gname = c.group_id, c.group_name
        cols[2].download_button(
            _("Ryhmän kuntakortit (PDF)"),
            data=lambda: export.card_set_pdf_bytes(
                group_cards(version, gid), title=_("{group} – kuntakortit", group=gname)),
            file_name=f"{export.COUNTY_SET_STEM}-{export.file_stem(gid)}.pdf",
            mime="application/pdf", icon=":material/library_books:", on_click="ignore",
            key=f"{key}_group")
