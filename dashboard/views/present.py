"""Esitystila: one group's slides for a projector, with speaker notes beside them (render only)."""

from datetime import date

import streamlit as st

from dashboard.i18n.catalog import _
from dashboard.reports import slides
from dashboard.ui import compositions, downloads, language, ngo_views, records, warehouse
from dashboard.ui import urlstate as params
from dashboard.ui.markup import md_escape

# Our own constant CSS only (no outside text): hide Streamlit's sidebar, header and menus,
# and set type that reads from the back of a room.
PRESENTER_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stSidebarNav"], [data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="stDecoration"], [data-testid="stMainMenu"], #MainMenu, footer {
  display: none !important;
}
[data-testid="stMainBlockContainer"] { padding-top: 1.2rem; max-width: 100%; }
.st-key-slide h1 { font-size: 3rem; line-height: 1.15; padding-top: 0.2rem; }
.st-key-slide h3 { font-size: 1.7rem; color: #444; padding-top: 0; }
.st-key-slide p, .st-key-slide li { font-size: 1.45rem; line-height: 1.38; }
.st-key-slide [data-testid="stCaptionContainer"] p { font-size: 1.05rem; }
.st-key-notes p, .st-key-notes li { font-size: 1rem; line-height: 1.45; }
</style>"""
CHART_SCALE = 1.2
MARKS = {"strength": ":blue[**●**]", "challenge": ":orange[**●**]",
         "worsening": ":orange[**▼**]", "plain": ":gray[**●**]"}

st.html(PRESENTER_CSS)

version = st.session_state["warehouse_version"]
groups = warehouse.groups(version)
group_ids = list(groups["group_id"])
group_names = dict(zip(groups["group_id"], groups["name"], strict=True))

query = st.query_params.to_dict()
state = params.parse_overview({"group": query.get("group")} if "group" in query else {},
                              group_ids)
for note in state.notes:
    st.info(note, icon=":material/info:")
st.session_state["pr_group"] = state.group  # the URL is the state: a link opens a slide


def _change_group() -> None:
    st.query_params.update(group=st.session_state["pr_group"], slide="1")


def _go(target: int) -> None:
    st.query_params["slide"] = str(target)


brief = compositions.group_briefing(version, state.group, state.benchmark)
deck = slides.build_deck(brief, date.today(), records.last_round_slide(version, state.group))
deck = ngo_views.with_ngo_slide(version, state.group, deck)  # the NGO survey's slide
number, slide_note = params.parse_slide(query, len(deck))
if slide_note:
    st.info(slide_note, icon=":material/info:")
st.query_params.update(group=state.group, slide=str(number))
slide = deck[number - 1]

# --- controls: group, previous / next (arrow keys), slide number, notes -------------------
bar = st.columns([2.4, 1.9, 0.7, 1.7, 2.2, 2.5], vertical_alignment="center")
bar[0].selectbox(_("Kuntaryhmä"), group_ids, format_func=group_names.get, key="pr_group",
                 on_change=_change_group, label_visibility="collapsed")
bar[1].button(_("Edellinen"), key="pr_prev", icon=":material/arrow_back:",
              disabled=number <= 1, on_click=_go, args=(number - 1,), shortcut="Left",
              width="stretch")
bar[2].markdown(f"**{number} / {len(deck)}**")
bar[3].button(_("Seuraava"), key="pr_next", icon=":material/arrow_forward:",
              disabled=number >= len(deck), on_click=_go, args=(number + 1,),
              shortcut="Right", width="stretch")
show_notes = bar[4].toggle(_("Puhujan muistiinpanot"), value=True, key="pr_show_notes")
bar[5].page_link("views/overview.py", label=_("Poistu esitystilasta"), icon=":material/close:",
                 query_params={"group": state.group, **language.url_params()})

# --- the slide ---------------------------------------------------------------------------------
main, side = st.columns([3.2, 1]) if show_notes else (st.container(), None)
with main.container(key="slide"):
    st.title(md_escape(slide.heading), anchor=False)
    if slide.lead:
        st.subheader(md_escape(slide.lead), anchor=False)
    spec = slides.chart_spec(brief, slide, CHART_SCALE)
    # Sentences left, the slide's one chart right: the whole slide fits one projector screen.
    text, picture = st.columns([1, 1], gap="medium") if spec else (st.container(), None)
    with text:
        for label, value in slide.facts:
            st.markdown(f"**{md_escape(label)}:** {md_escape(value)}")
        for point in slide.points:
            if slide.kind == "closing":
                st.markdown(f"**{md_escape(point.label)}.** {md_escape(point.text)}")
            else:
                st.markdown(f"{MARKS[point.tone]} {md_escape(point.text)}")
    if picture is not None:
        picture.vega_lite_chart(spec, width="content")
    st.caption(md_escape(slides.slide_footer(brief, slide)))

if side is not None:
    with side.container(key="notes", border=True):
        st.markdown("**" + _("Puhujan muistiinpanot") + "**")
        for label, text in slide.notes:
            st.markdown(f"**{md_escape(label)}:** {md_escape(text)}")

with st.expander(_("Lataa tiedostoina"), icon=":material/download:"):
    downloads.download_area(brief, slide, key="pr_dl")
