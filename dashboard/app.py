"""The single entry: language, navigation, the shared frame (demo banner, errors), the footer."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard.i18n.catalog import _  # noqa: E402
from dashboard.ui import frame, language, warehouse  # noqa: E402

lang_note = language.choose()  # before any text: page titles are translated too

# A bundled icon: a ":material/…:" page icon makes every browser fetch it from Google.
ICON = Path(__file__).resolve().parent / "assets" / "icon.png"
st.set_page_config(page_title=_("HYTE-tilannekuva"), page_icon=str(ICON),
                   layout="wide")

# Not "pages/": Streamlit would treat a pages/ folder beside the entry as the old
# automatic navigation until the first session calls st.navigation.
PAGES = Path(__file__).resolve().parent / "views"
pages = [
    st.Page(PAGES / "overview.py", title=_("Ryhmän tilannekuva"), icon=":material/explore:",
            default=True),
    st.Page(PAGES / "kunta.py", title=_("Kuntakortti"), icon=":material/location_city:",
            url_path="kunta"),
    st.Page(PAGES / "compare.py", title=_("Vertaile kuntia"), icon=":material/compare_arrows:",
            url_path="vertaile"),
    st.Page(PAGES / "explore.py", title=_("Indikaattorit"), icon=":material/search:",
            url_path="indikaattorit"),
    st.Page(PAGES / "ngo.py", title=_("Järjestöt"), icon=":material/diversity_3:",
            url_path="jarjestot"),
    st.Page(PAGES / "present.py", title=_("Esitystila"), icon=":material/co_present:",
            url_path="esitys"),
    st.Page(PAGES / "status.py", title=_("Tietojen tila"), icon=":material/database:",
            url_path="tila"),
    # The negotiation record (its own store, dashboard/records; ui.records migrates it).
    st.Page(PAGES / "negotiations.py", title=_("Neuvottelut"), icon=":material/handshake:",
            url_path="neuvottelut"),
    st.Page(PAGES / "followup.py", title=_("Seuranta"), icon=":material/monitoring:",
            url_path="seuranta"),
]
page = st.navigation(pages)
language.switch()
if lang_note:
    st.info(lang_note, icon=":material/translate:")
if frame.open_frame(compact=page.url_path == "esitys"):
    try:
        page.run()
    except warehouse.WarehouseUnavailable as exc:  # e.g. the file was replaced by a broken one
        frame.unavailable(exc)
    else:
        frame.footer()
