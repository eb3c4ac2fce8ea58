"""Kuntakortti: one municipality's card (render only); a chooser when the link names none."""

import streamlit as st

from dashboard.charts import kuntakortti as card_charts
from dashboard.i18n.catalog import PRIORITY_ORDER, _
from dashboard.reports import kuntakortti_html
from dashboard.ui import card_views, language, ngo_views, warehouse
from dashboard.ui.markup import md_escape

version = st.session_state["warehouse_version"]
munis = card_views.municipalities(version)
ids = [int(r) for r in munis["region_id"]]
names = dict(zip(ids, munis["name"], strict=True))
codes = dict(zip(ids, munis["code"].astype(str), strict=True))

# The link decides when it changed (a card link from another page), the chooser otherwise.
url_code = st.query_params.get(card_views.URL_KEY)
if st.session_state.get("kk_url") != url_code or "kk_kunta" not in st.session_state:
    chosen_id, note = card_views.parse(version, st.query_params.to_dict())
    if note:
        st.info(note, icon=":material/info:")
    st.session_state["kk_kunta"] = chosen_id
    st.session_state["kk_url"] = url_code

head, chooser = st.columns([3, 1], vertical_alignment="bottom")
region_id = chooser.selectbox(_("Kunta"), ids, key="kk_kunta", format_func=names.get,
                              placeholder=_("Valitse kunta"))
if region_id is not None:
    st.session_state["kk_url"] = codes[region_id]
    st.query_params.from_dict({card_views.URL_KEY: codes[region_id], **language.url_params()})

if region_id is None:
    head.title(_("Kuntakortti"))
    st.write(_("Valitse kunta: kortti kokoaa kunnan kaikki indikaattorit painopisteittäin, "
               "vertailut hyvinvointialueeseen ja koko maahan, kehityssuunnat, sijan alueen "
               "kuntien joukossa sekä kunnan vahvuudet ja haasteet."))
    # Buttons, not links: a link to this same page would leave the old code in the address bar.
    groups = warehouse.groups(version)
    for name, members in zip(groups["name"], groups["members"], strict=True):
        with st.container(horizontal=True, gap="small", vertical_alignment="center"):
            st.markdown("**" + md_escape(name) + "**")
            for m in (int(m) for m in members):
                st.button(names[m], key=f"kk_pick_{codes[m]}", type="tertiary",
                          icon=":material/location_city:", on_click=st.session_state.update,
                          kwargs={"kk_kunta": m})
    st.stop()

card = card_views.card(version, region_id)

# --- header ------------------------------------------------------------------------------------
head.title(card.name)
st.caption(" · ".join([_("Kuntakortti · kuntanumero {code}", code=card.code)]
                      + ([_("Ryhmä: {group}", group=md_escape(card.group_name))]
                         if card.group_name else [])
                      + [_("Tiedot vuosilta: {years}", years=card.vintage_text() or "–")]))
facts = kuntakortti_html.figures(card)
cols = st.columns(max(len(facts), 4))
for col, (label, value) in zip(cols, facts, strict=False):
    col.markdown(f"**{md_escape(label)}**  \n{md_escape(value)}")
if card.small:
    st.warning(md_escape(card.small_text()), icon=":material/warning:")
notes = [card.comparison_text(), "" if card.small else card.small_text(),
         card.age_missing_text()]
st.caption(md_escape(" ".join(n for n in notes if n)))
if card.group_id:
    st.page_link("views/overview.py", label=_("Ryhmän tilannekuva: {group}", group=card.group_name),
                 icon=":material/explore:",
                 query_params={"group": card.group_id, **language.url_params()})

# --- strengths and challenges --------------------------------------------------------------------
st.header(_("Vahvuudet ja haasteet"))
st.caption(_("Valittu samalla säännöllä kuin ryhmän tilannekuvassa: 99,8 %:n luottamusväli ei "
             "sisällä vertailuarvoa; enintään kolme vahvuutta ja kolme haastetta painopistettä "
             "kohden; ei koskaan indikaattorista, jota ei voi verrata."))
cols = st.columns(3)
for col, section in zip(cols, [s for s in card.sections if s.priority in PRIORITY_ORDER[:3]],
                        strict=False):
    with col.container(border=True):
        st.subheader(section.name)
        st.markdown("**" + _("Vahvuudet") + "**")
        if not section.strengths:
            st.caption(_("Ei tilastollisesti selviä vahvuuksia."))
        for r in section.strengths:
            st.markdown(f":blue[**●**] {md_escape(card.sentence(r))}")
        st.markdown("**" + _("Haasteet") + "**")
        if not section.challenges:
            st.caption(_("Ei tilastollisesti selviä haasteita."))
        for r in section.challenges:
            mark = ":orange[**▼**]" if r["trend"] == "worsening" else ":orange[**●**]"
            st.markdown(f"{mark} {md_escape(card.sentence(r))}")

# --- every indicator, per priority -----------------------------------------------------------------
specs = dict(card_views.charts_of(version, region_id, _card=card))
for section in card.sections:
    if section.priority not in specs:
        continue
    st.header(section.name)
    st.vega_lite_chart(specs[section.priority], width=card_charts.SCREEN_WIDTH)
    with st.expander(_("Taulukko: kaikki luvut"), icon=":material/table:"):
        frame = card_views.table(card, section)
        st.dataframe(card_views.table_style(card, frame), hide_index=True)
st.caption(_("Sija: 1 = paras indikaattorin suunnan mukaan (kun suuntaa ei ole, 1 = suurin "
             "arvo); se kertoo vain suhteellisen aseman alueen kunnista, ei sitä, onko ero "
             "tilastollisesti selvä. {benchmark}",
             benchmark=md_escape(card_charts.benchmark_word(card) + " = "
                                 + card.benchmark_name() + ".")))

# --- järjestöt kunnassa: the NGO survey's section (dashboard/ui/ngo_views.py) --------------------
ngo_views.area_section(version, (region_id,), card.name, key="kk_ngo",
                       link_params={"group": card.group_id} if card.group_id else None)

# --- downloads ---------------------------------------------------------------------------------------
st.header(_("Lataa tiedostoina"))
card_views.downloads(version, card)
