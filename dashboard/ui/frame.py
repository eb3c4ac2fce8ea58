"""What every page shares: the warehouse check, the demo banner and the source footer."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n.catalog import _
from dashboard.i18n.formatting import built_text, day
from dashboard.i18n.notices import demo_badge, demo_banner, source_line
from dashboard.ui import warehouse
from dashboard.ui.markup import md_escape


def unavailable(exc: Exception) -> None:
    """The warehouse's one-line reason, in the session's language."""
    template = getattr(exc, "template", None)
    reason = _(template, **exc.details) if template else str(exc)
    st.error(_("**Tietoja ei voi näyttää.** {reason}", reason=md_escape(reason)),
             icon=":material/error:")


def open_frame(compact: bool = False) -> bool:
    """Check the warehouse once per run; show one clear message instead of a traceback.

    `compact`: a slim demo badge instead of the banner, for slides on a 720p projector where
    the banner would push the slide's content below the fold (each slide still says so).
    """
    try:
        version = warehouse.version()
        info = warehouse.meta(version)
    except warehouse.WarehouseUnavailable as exc:
        unavailable(exc)
        return False
    st.session_state["warehouse_version"] = version
    if info.get("is_demo") == "true":
        if compact:
            st.badge(demo_badge(), icon=":material/science:", color="orange")
        else:
            st.warning(demo_banner(), icon=":material/science:")
    return True


def footer() -> None:
    version = st.session_state.get("warehouse_version")
    if not version:
        return
    try:
        inds = warehouse.indicators(version)
        info = warehouse.meta(version)
    except warehouse.WarehouseUnavailable:
        return
    producers = sorted({p for p in inds["producer"].dropna() if p})
    updated = inds["data_updated"].dropna()
    parts = [source_line()]
    if producers:
        # the producers are Sotkanet's text: shown as text
        parts.append(_("Tietojen tuottajat: {producers}.",
                       producers=md_escape(", ".join(producers))))
    if len(updated):
        parts.append(_("Tiedot päivitetty: {updated}.", updated=day(updated.max())))
    parts.append(_("Tietovarasto koottu: {built}.", built=built_text(info.get("built_at"))))
    st.divider()
    st.caption(" ".join(parts))
