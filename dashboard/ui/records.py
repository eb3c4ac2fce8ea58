"""Streamlit glue of the negotiation record: who is asking, cached reads, the only writes.

The pages never import dashboard.records themselves (an import-linter contract): they read
and write through here. Every write resolves the identity from the request right here (the
connection's address, the headers, st.user) and the store checks it again, so no widget,
URL parameter or session-state value can make a reader an editor. Reads are cached under the
store's revision (its newest change-log id): a save anywhere shows on the next rerun of
every session.
"""

from __future__ import annotations

import getpass

import streamlit as st

from dashboard.i18n.catalog import _, current
from dashboard.records import access, db, schema, store, transfer, validate
from dashboard.reports import export, records_demo
from dashboard.reports import followup as follow
from dashboard.reports import summary as files
from dashboard.ui import compositions, warehouse

StaleRecord = store.StaleRecord
ValidationError = validate.ValidationError
NotPermitted = access.NotPermitted
StoreUnavailable = db.StoreUnavailable
IndicatorChoice = validate.IndicatorChoice
words = schema


@st.cache_resource(show_spinner=False)
def _prepared(url: str, warehouse_version: str) -> str:
    # Once per process and store (and warehouse build: a demo store is seeded on the first
    # start with a demo warehouse): migrations up, the demo round when the store is empty.
    revision = db.migrate(url)
    try:
        info = warehouse.meta(warehouse_version)
        if info.get("is_demo") == "true" and store.is_empty(db.engine(url)):
            cat = warehouse.catalogue(warehouse_version)
            records_demo.seed(warehouse_version, cat, db.engine(url))
    except warehouse.WarehouseUnavailable:
        pass
    return revision


def ready(warehouse_version: str | None) -> bool:
    """Migrate (and seed the demo) once; False with a message when the store is unusable."""
    try:
        _prepared(db.url(), warehouse_version or "")
        return True
    except db.StoreUnavailable as exc:
        st.error(
            _("Neuvottelukirjausten tietokantaa ei voi avata: {reason}", reason=str(exc)),
            icon=":material/error:",
        )
        return False


# --- who is asking ----------------------------------------------------------------------------


def identity() -> access.Identity:
    """The request's identity (never from widgets, URL or session state)."""
    headers = {}
    try:
        headers = {k: v for k, v in st.context.headers.items()}
    except Exception:  # noqa: BLE001 - no request context (bare script): no headers
        headers = {}
    oidc = None
    try:
        if st.user.get("is_logged_in"):
            oidc = str(st.user.get("email") or st.user.get("preferred_username") or "") or None
    except Exception:  # noqa: BLE001 - authentication not configured
        oidc = None
    try:
        ip = st.context.ip_address  # None: a loopback connection
        # A server's address is text; anything else means no connection at all (AppTest's
        # stand-in runtime), so no request from any network.
        loopback = ip is None or not isinstance(ip, str)
    except RuntimeError:  # no Streamlit server at all (a bare script)
        loopback = True
    except Exception:  # noqa: BLE001 - anything else: not known to be local
        loopback = False
    try:
        local_user = getpass.getuser()
    except Exception:  # noqa: BLE001
        local_user = "local"
    return access.resolve(loopback=loopback, headers=headers, oidc_user=oidc, local_user=local_user)


def can_edit() -> bool:
    try:
        return access.may_edit(identity())
    except ValueError as exc:  # a broken editors.toml: say so, read only
        st.warning(str(exc), icon=":material/warning:")
        return False


def login_available() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file
        return False


def who_note() -> None:
    """One caption saying whether this session edits, and how to become an editor."""
    me = identity()
    if can_edit():
        st.caption(
            _("Muokkaat kirjauksia nimellä {user}. Jokainen muutos tallentuu muutoshistoriaan.", user=me.user)
        )
        return
    if me.source == "anonymous":
        st.caption(_("Lukutila: kirjausten muokkaus vaatii kirjautumisen ja muokkausoikeuden."))
        if login_available():
            st.button(_("Kirjaudu sisään"), on_click=st.login, icon=":material/login:", key="records_login")
    else:
        st.caption(_("Lukutila: {user} ei ole muokkaajien listalla.", user=me.user))


# --- cached reads -----------------------------------------------------------------------------


def revision() -> int:
    return store.revision(db.engine())


@st.cache_data(show_spinner=False, max_entries=64)
def _tree(url: str, revision: int, group_id: str, round_year: int) -> dict | None:
    return store.negotiation_tree(group_id, round_year, db.engine(url))


def tree(group_id: str, round_year: int) -> dict | None:
    return _tree(db.url(), revision(), group_id, int(round_year))


@st.cache_data(show_spinner=False, max_entries=32)
def _rounds(url: str, revision: int) -> list[tuple[str, int]]:
    return store.rounds(db.engine(url))


def rounds() -> list[tuple[str, int]]:
    return _rounds(db.url(), revision())


@st.cache_data(show_spinner=False, max_entries=16)
def _round_trees(url: str, revision: int, round_year: int) -> list[dict]:
    return store.round_trees(round_year, db.engine(url))


def round_trees(round_year: int) -> list[dict]:
    return _round_trees(db.url(), revision(), int(round_year))


@st.cache_data(show_spinner=False, max_entries=16)
def _latest(url: str, revision: int, group_id: str) -> dict | None:
    return store.latest_tree(group_id, eng=db.engine(url))


def latest(group_id: str) -> dict | None:
    return _latest(db.url(), revision(), group_id)


def changes(table_name: str, record_id: int) -> list[dict]:
    return store.changes(table_name, record_id, db.engine())


def followup_rows(version: str, record: dict) -> list[dict]:
    """The follow-up rows of a record (cached by warehouse version, record version, language)."""
    return _followup_rows(
        version, db.url(), revision(), record["group_id"], int(record["round_year"]), lang=current()
    )


@st.cache_data(show_spinner=False, max_entries=64)
def _followup_rows(
    version: str, url: str, revision: int, group_id: str, round_year: int, *, lang: str
) -> list[dict]:
    record = _tree(url, revision, group_id, round_year)
    if record is None:
        return []
    if group_id not in set(warehouse.groups(version)["group_id"]):
        return follow.indicator_rows(record, [], warehouse.indicators(version))
    sit = compositions.group_situation(version, group_id, "area")
    return follow.indicator_rows(record, follow.series_records(sit), warehouse.indicators(version))


def export_json() -> bytes:
    return transfer.export_json(db.engine()).encode("utf-8")


# --- writes: each resolves the identity itself; the store checks it again ---------------------


def save_negotiation(
    group_id: str,
    round_year: int,
    fields: dict,
    negotiation_id: int | None = None,
    expected_version: int | None = None,
) -> int:
    return store.save_negotiation(
        identity(), group_id, round_year, fields, negotiation_id, expected_version, eng=db.engine()
    )


def save_goal(
    version: str,
    record: dict,
    priority: str,
    text: str,
    indicators: list[validate.IndicatorChoice],
    goal_id: int | None = None,
    expected_version: int | None = None,
) -> int:
    """Save a goal; the baselines of newly chosen indicators come from the warehouse now."""
    who = identity()
    access.require_editor(who)  # before any warehouse work
    inds = warehouse.indicators(version)
    known = [int(i) for i in inds["indicator_id"]]
    names = dict(zip(inds["indicator_id"].astype(int), inds["short"], strict=True))
    ids = [c.indicator_id for c in indicators if c.indicator_id in set(known)]
    bases = {}
    if ids and record["group_id"] in set(warehouse.groups(version)["group_id"]):
        sit = compositions.group_situation(version, record["group_id"], "area")
        bases = follow.baselines(sit, ids)
    return store.save_goal(
        who,
        record["id"],
        priority,
        text,
        indicators,
        known,
        bases,
        names,
        goal_id,
        expected_version,
        eng=db.engine(),
    )


def delete_goal(goal_id: int, expected_version: int) -> None:
    store.delete_goal(identity(), goal_id, expected_version, eng=db.engine())


def save_action(
    goal_id: int,
    fields: dict,
    members: tuple[str, ...] = (),
    action_id: int | None = None,
    expected_version: int | None = None,
) -> int:
    return store.save_action(
        identity(), goal_id, fields, members, action_id, expected_version, eng=db.engine()
    )


def set_status(action_id: int, expected_version: int, status: str, comment: str, on=None) -> None:
    store.set_status(identity(), action_id, expected_version, status, comment, on, eng=db.engine())


def delete_action(action_id: int, expected_version: int) -> None:
    store.delete_action(identity(), action_id, expected_version, eng=db.engine())


# --- the summary across groups (yhteenveto) -----------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=8)
def _summary(version: str, url: str, revision: int, round_year: int, *, lang: str):
    trees = _round_trees(url, revision, round_year)
    return files.build(
        version,
        warehouse.catalogue(version),
        trees,
        round_year,
        export.exported_now(),
        rows_of=lambda r: _followup_rows(
            version, url, revision, r["group_id"], int(r["round_year"]), lang=lang
        ),
    )


def summary(version: str, round_year: int):
    return _summary(version, db.url(), revision(), int(round_year), lang=current())


def summary_file(version: str, round_year: int, kind: str) -> bytes:
    s = summary(version, round_year)
    if kind == "docx":
        return files.docx_bytes(s)
    if kind == "pdf":
        return files.pdf_bytes(s)
    return files.html_text(s).encode("utf-8")


def summary_table_names(round_year: int) -> list[str]:
    return [
        f"yhteenveto-{int(round_year)}-{stem}.{ext}" for stem in files.TABLES for ext in ("csv", "parquet")
    ]


def summary_table(version: str, round_year: int, name: str) -> bytes:
    return dict(files.table_files(summary(version, round_year)))[name]


# --- "Viime neuvottelussa sovittiin": the overview's block and the presenter's slide -------------

MARKS = {"toward": ":blue[**▲**]", "reached": ":blue[**✓**]", "against": ":orange[**▼**]"}


def last_round_slide(version: str, group_id: str):
    """The presenter's slide of the group's last recorded negotiation (None without one)."""
    try:
        if not ready_quietly(version):
            return None
        record = latest(group_id)
        return None if record is None else follow.last_round_slide(record, followup_rows(version, record))
    except db.StoreUnavailable:
        return None


def ready_quietly(version: str) -> bool:
    try:
        _prepared(db.url(), version or "")
        return True
    except db.StoreUnavailable:
        return False


def last_round_block(version: str, group_id: str) -> None:
    """The overview's opener: last round's goals and how their indicators have moved."""
    from dashboard.i18n.catalog import priority_name
    from dashboard.ui.markup import md_escape

    if not ready_quietly(version):
        return
    record = latest(group_id)
    if record is None:
        return
    rows = followup_rows(version, record)
    with st.container(border=True, key="last_round"):
        st.subheader(
            _("Viime neuvottelussa sovittiin (kierros {year})", year=record["round_year"]), anchor=False
        )
        if record["is_demo"]:
            st.caption(_("DEMO – keksitty esimerkkikirjaus"))
        for g in record["goals"]:
            st.markdown(
                _("**{priority}:** {goal}", priority=priority_name(g["priority"]), goal=md_escape(g["text"]))
            )
            for r in (r for r in rows if r["goal_id"] == g["id"]):
                st.markdown(f"{MARKS.get(r['verdict'], ':gray[**●**]')} {md_escape(follow.sentence(r))}")
        st.caption(
            _(
                "Toimenpiteet: {statuses}. Muutos on selvä, kun lähtötaso jää uusimman arvon "
                "95 %:n luottamusvälin ulkopuolelle.",
                statuses=follow.status_text(record),
            )
        )
        st.page_link(
            "views/followup.py",
            label=_("Koko seuranta"),
            icon=":material/monitoring:",
            query_params={"group": group_id, "round": str(record["round_year"])},
        )


def partners_across_groups(version: str, round_year: int) -> list[tuple[str, str, list[str]]]:
    """(organisation, kind, groups) of the round: who works with whom across groups."""
    return files.partner_index(summary(version, round_year))
