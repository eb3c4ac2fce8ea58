"""Download buttons: the group overview's HTML, PDF and chart PNG (overview and presenter
pages), and a shown table as CSV and Parquet (compare and explore pages)."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n.catalog import _, current
from dashboard.model.briefing import Briefing
from dashboard.reports import export, slides
from dashboard.reports import tables as table_files


def download_area(brief: Briefing, slide: slides.Slide | None = None, key: str = "dl") -> None:
    """Buttons whose files are made only when clicked (callable data) and cause no rerun."""
    stem = export.file_stem(brief.group_id)
    # Streamlit makes the files on a worker thread, outside this run's language: pass it on.
    lang = current()
    st.caption(_("Tiedostot toimivat ilman verkkoyhteyttä: HTML avautuu selaimessa ilman "
                  "palvelinta, PDF on tulostettava A4-sivu, PNG on kuvan tiedosto."))
    cols = st.columns(3)
    cols[0].download_button(
        _("Tilannekuva (HTML)"), data=lambda: export.html_bytes(brief, lang=lang),
        file_name=f"{stem}.html",
        mime="text/html", icon=":material/html:", on_click="ignore", key=f"{key}_html")
    cols[1].download_button(
        _("Yhden sivun tiivistelmä (PDF)"), data=lambda: export.pdf_bytes(brief, lang=lang),
        file_name=f"{stem}.pdf",
        mime="application/pdf", icon=":material/picture_as_pdf:", on_click="ignore",
        key=f"{key}_pdf")
    if slide is not None and slide.chart is not None:
        name = f"{stem}-dia.png" if slide.priority is None else f"{stem}-{slide.priority}.png"
        cols[2].download_button(
            _("Dian kuva (PNG)"), data=lambda: export.slide_png(brief, slide, lang=lang), file_name=name,
            mime="image/png", icon=":material/image:", on_click="ignore", key=f"{key}_png")


def table_downloads(typed, source: str, stem: str, key: str) -> None:
    """CSV (Finnish Excel) and Parquet of a table, both carrying its source line."""
    cols = st.columns(4)
    cols[0].download_button(_("Lataa CSV"), table_files.csv_bytes(typed, source), f"{stem}.csv",
                            "text/csv", key=f"{key}_csv", on_click="ignore",
                            icon=":material/download:")
    cols[1].download_button(_("Lataa Parquet"), table_files.parquet_bytes(typed, source),
                            f"{stem}.parquet", "application/vnd.apache.parquet",
                            key=f"{key}_parquet", on_click="ignore", icon=":material/download:")
