"""The single entry: navigation, the shared frame (demo banner, errors) and the source footer."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard import data, frame  # noqa: E402
from dashboard.texts import t  # noqa: E402

st.set_page_config(page_title=t("app_title"), page_icon=":material/compare_arrows:", layout="wide")

PAGES = Path(__file__).resolve().parent / "app_pages"
pages = [
    st.Page(PAGES / "overview.py", title=t("nav_overview"), icon=":material/explore:", default=True),
    st.Page(
        PAGES / "compare.py", title=t("nav_compare"), icon=":material/compare_arrows:", url_path="vertaile"
    ),
    st.Page(PAGES / "explore.py", title=t("nav_explore"), icon=":material/search:", url_path="indikaattorit"),
    st.Page(PAGES / "present.py", title=t("nav_present"), icon=":material/co_present:", url_path="esitys"),
    st.Page(PAGES / "status.py", title=t("nav_status"), icon=":material/database:", url_path="tila"),
]
page = st.navigation(pages)
if frame.open_frame(compact=page.url_path == "esitys"):
    try:
        page.run()
    except data.WarehouseUnavailable as exc:  # e.g. the file was replaced by a broken one
        frame.unavailable(exc)
    else:
        frame.footer()
