"""What every page shares: the warehouse check, the demo banner and the source footer."""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.formatting import built_text, day, md_escape
from dashboard.texts import t


def unavailable(exc: Exception) -> None:
    st.error(f"**{t('unavailable_title')}.** {md_escape(exc)}", icon=":material/error:")


def open_frame(compact: bool = False) -> bool:
    """Check the warehouse once per run; show one clear message instead of a traceback.

    `compact`: a slim demo badge instead of the banner, for slides on a 720p projector where
    the banner would push the slide's content below the fold (each slide still says so).
    """
    try:
        version = data.version()
        info = data.meta(version)
    except data.WarehouseUnavailable as exc:
        unavailable(exc)
        return False
    st.session_state["warehouse_version"] = version
    if info.get("is_demo") == "true":
        if compact:
            st.badge(t("demo_badge"), icon=":material/science:", color="orange")
        else:
            st.warning(t("demo_banner"), icon=":material/science:")
    return True


def footer() -> None:
    version = st.session_state.get("warehouse_version")
    if not version:
        return
    try:
        inds = data.indicators(version)
        info = data.meta(version)
    except data.WarehouseUnavailable:
        return
    producers = sorted({p for p in inds["producer"].dropna() if p})
    updated = inds["data_updated"].dropna()
    parts = [t("source_line")]
    if producers:
        parts.append(f"{t('producers')}: {', '.join(producers)}.")
    if len(updated):
        parts.append(f"{t('data_updated')}: {day(updated.max())}.")
    parts.append(f"{t('built_at')}: {built_text(info.get('built_at'))}.")
    st.divider()
    st.caption(" ".join(parts))
