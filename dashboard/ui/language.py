"""The session's language: `?lang=fi|sv|en` in the URL, a switch in the sidebar.

The language lives in the session state and in the URL (so a shared link opens in the same
language); every page's own URL updates go through urlstate.replace_query, which keeps it.
"""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import catalog
from dashboard.i18n.catalog import LANGUAGE_NAMES, LANGUAGES, _

KEY = "ui_lang"


def choose() -> str | None:
    """Set this run's language; a note (in Finnish) when the link's language is unknown."""
    note = None
    if KEY not in st.session_state:
        lang, known = catalog.parse_language(st.query_params.get_all("lang"))
        st.session_state[KEY] = lang
        if not known:
            note = _("Linkin kieltä ei tunnistettu; näytetään suomeksi. (Språket i länken "
                     "känns inte igen. The link's language was not recognised.)")
    lang = st.session_state[KEY] if st.session_state[KEY] in LANGUAGES else catalog.DEFAULT_LANGUAGE
    catalog.set_language(lang)
    sync_url(lang)
    return note


def sync_url(lang: str) -> None:
    if lang == catalog.DEFAULT_LANGUAGE:
        if "lang" in st.query_params:
            del st.query_params["lang"]
    elif st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang


def switch() -> None:
    """The sidebar's language switch (hidden with the sidebar in presenter mode)."""
    st.sidebar.segmented_control(_("Kieli"), LANGUAGES, key=KEY, required=True,
                                 format_func=LANGUAGE_NAMES.get)


def url_params() -> dict[str, str]:
    """{"lang": …} for a page's own URL updates and links ({} for Finnish, the default)."""
    lang = catalog.current()
    return {} if lang == catalog.DEFAULT_LANGUAGE else {"lang": lang}
