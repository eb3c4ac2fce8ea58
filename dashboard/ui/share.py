"""Jaa huoneelle: the room link of a group's static page and its QR code, for the projector.

The link points at the room site (reports.room_site, served at /app/static/room/): a room
of phones opening it costs the server a file read each, not a script run. Its address is
HYTE_PUBLIC_URL when set (behind a proxy the public address is not the one the app sees),
else the address this browser used. The QR code is drawn here by segno (no outside request)
and cached by the link, so a rerun does not draw it again.
"""

from __future__ import annotations

import io
import os
from urllib.parse import urlsplit

import segno
import streamlit as st

from dashboard.i18n.catalog import _
from dashboard.reports import room_site
from dashboard.ui.markup import md_escape


@st.cache_data(show_spinner=False, max_entries=64)
def qr_png(url: str) -> bytes:
    """The link as a QR code (PNG, sharp on a projector), error correction M."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=8, border=2)
    return out.getvalue()


def base_url() -> str:
    """HYTE_PUBLIC_URL, else scheme://host[/base path] of the address this browser used."""
    public = os.environ.get("HYTE_PUBLIC_URL", "").strip()
    if public:
        return public.rstrip("/")
    seen = st.context.url or ""
    parts = urlsplit(seen)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")


def room_link(group_id: str) -> str:
    return room_site.public_url(group_id, base_url() or None)


def room_panel(group_id: str) -> None:
    """The popover "Jaa huoneelle": the link, its QR code, and whether the page exists yet."""
    url = room_link(group_id)
    with st.popover(_("Jaa huoneelle"), icon=":material/qr_code_2:"):
        st.markdown(_("**Huoneen linkki** kevyeen sivuun, jolla on tämän ryhmän tilannekuva "
                      "(samat luvut ja lähteet, ilman valintoja):"))
        st.code(url, language=None)
        if url.startswith(("http://", "https://")):
            st.image(qr_png(url), caption=_("Osoita puhelimen kameralla."), width=260)
        if not (room_site.STATIC / room_site.LINK / room_site.group_page(group_id)).exists():
            st.caption(_("Sivua ei ole vielä kirjoitettu: se syntyy jokaisessa julkaisussa "
                         "(hyte ingest) tai komennolla hyte export --site."))
        st.caption(_("Sivu päivittyy, kun tietovarasto julkaistaan uudelleen. Julkinen osoite "
                     "asetetaan ympäristömuuttujalla HYTE_PUBLIC_URL ({base}).",
                     base=md_escape(base_url() or "–")))
