"""The single entry: navigation, the shared frame (demo banner, errors) and the source footer."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard import frame  # noqa: E402
from dashboard.texts import t  # noqa: E402

st.set_page_config(page_title=t("app_title"), page_icon="📊", layout="wide")

PAGES = Path(__file__).resolve().parent / "app_pages"
pages = [
    st.Page(PAGES / "overview.py", title=t("nav_overview"), icon="🧭", default=True),
    st.Page(PAGES / "compare.py", title=t("nav_compare"), icon="📊", url_path="vertaile"),
    st.Page(PAGES / "explore.py", title=t("nav_explore"), icon="🔎", url_path="indikaattorit"),
    st.Page(PAGES / "present.py", title=t("nav_present"), icon="📽️", url_path="esitys"),
    st.Page(PAGES / "status.py", title=t("nav_status"), icon="🗄️", url_path="tila"),
]
page = st.navigation(pages)
if frame.open_frame():
    page.run()
    frame.footer()
