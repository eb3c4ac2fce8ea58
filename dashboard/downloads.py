"""The download area shared by the overview and presenter pages: HTML, PDF and chart PNG."""

from __future__ import annotations

import streamlit as st

from dashboard import export, slides
from dashboard.briefing import Briefing
from dashboard.texts import t


def download_area(brief: Briefing, slide: slides.Slide | None = None, key: str = "dl") -> None:
    """Buttons whose files are made only when clicked (callable data) and cause no rerun."""
    stem = export.file_stem(brief.group_id)
    st.caption(t("export_intro"))
    cols = st.columns(3)
    cols[0].download_button(
        t("export_html"), data=lambda: export.html_bytes(brief), file_name=f"{stem}.html",
        mime="text/html", icon=":material/html:", on_click="ignore", key=f"{key}_html")
    cols[1].download_button(
        t("export_pdf"), data=lambda: export.pdf_bytes(brief), file_name=f"{stem}.pdf",
        mime="application/pdf", icon=":material/picture_as_pdf:", on_click="ignore",
        key=f"{key}_pdf")
    if slide is not None and slide.chart is not None:
        name = f"{stem}-dia.png" if slide.priority is None else f"{stem}-{slide.priority}.png"
        cols[2].download_button(
            t("export_png"), data=lambda: export.slide_png(brief, slide), file_name=name,
            mime="image/png", icon=":material/image:", on_click="ignore", key=f"{key}_png")
