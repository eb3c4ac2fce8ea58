"""Reading and writing the negotiation record: versions, the change log, permission checks.

Every write takes the caller's Identity and checks it first (access.require_editor), runs in
one transaction, bumps the row's `version` only if it still has the version the caller read
(`UPDATE … WHERE id = ? AND version = ?`: two saves in the same instant cannot both win),
and appends who, when, which row, and the row before and after (JSON, children included) to
the change log. Reads return plain dicts (JSON-able, cacheable); `revision()` is the newest
change-log id, which the pages use as the cache key of what they read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa

from dashboard.i18n.catalog import _
from dashboard.records import access, db, schema, validate
from dashboard.records.access import Identity
from dashboard.records.schema import (
    action,
    change_log,
    goal,
    goal_indicator,
    negotiation,
    participant,
    partner,
)


class StaleRecord(RuntimeError):
    """Someone else saved (or removed) the record after it was read; nothing was written."""

    def __init__(self, message: str, current: dict | None = None):
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class Baseline:
    """An indicator's value when the goal was saved (from the warehouse, by the caller)."""

    value: float | None
    year: int | None
    lo: float | None = None
    hi: float | None = None
    scope: str = "group"  # group | area (an indicator the group has no value of)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _engine(eng: sa.Engine | None) -> sa.Engine:
    return eng if eng is not None else db.engine()


def _jsonable(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _row(row) -> dict:
    return {k: _jsonable(v) for k, v in row._mapping.items()}


def _as_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# --- reads ----------------------------------------------------------------------------------


def revision(eng: sa.Engine | None = None) -> int:
    """The newest change-log id: changes whenever anything is written (the pages' cache key)."""
    with _engine(eng).connect() as con:
        return int(con.execute(sa.select(sa.func.coalesce(sa.func.max(change_log.c.id), 0))).scalar_one())


def is_empty(eng: sa.Engine | None = None) -> bool:
    with _engine(eng).connect() as con:
        return con.execute(sa.select(negotiation.c.id).limit(1)).first() is None


def rounds(eng: sa.Engine | None = None, group_id: str | None = None) -> list[tuple[str, int]]:
    """(group, round) of every recorded negotiation, newest round first."""
    q = sa.select(negotiation.c.group_id, negotiation.c.round_year)
    if group_id is not None:
        q = q.where(negotiation.c.group_id == group_id)
    with _engine(eng).connect() as con:
        rows = con.execute(q.order_by(negotiation.c.round_year.desc(), negotiation.c.group_id))
        return [(g, int(y)) for g, y in rows]


def _trees(con, where) -> list[dict]:
    negs = [
        _row(r)
        for r in con.execute(
            sa.select(negotiation).where(where).order_by(negotiation.c.round_year, negotiation.c.group_id)
        )
    ]
    if not negs:
        return []
    ids = [n["id"] for n in negs]
    parts = [
        _row(r)
        for r in con.execute(
            sa.select(participant).where(participant.c.negotiation_id.in_(ids)).order_by(participant.c.id)
        )
    ]
    goals = [
        _row(r)
        for r in con.execute(
            sa.select(goal).where(goal.c.negotiation_id.in_(ids)).order_by(goal.c.sort_order, goal.c.id)
        )
    ]
    gids = [g["id"] for g in goals]
    inds = (
        [
            _row(r)
            for r in con.execute(
                sa.select(goal_indicator)
                .where(goal_indicator.c.goal_id.in_(gids))
                .order_by(goal_indicator.c.id)
            )
        ]
        if gids
        else []
    )
    acts = (
        [
            _row(r)
            for r in con.execute(
                sa.select(action).where(action.c.goal_id.in_(gids)).order_by(action.c.sort_order, action.c.id)
            )
        ]
        if gids
        else []
    )
    aids = [a["id"] for a in acts]
    pars = (
        [
            _row(r)
            for r in con.execute(
                sa.select(partner).where(partner.c.action_id.in_(aids)).order_by(partner.c.id)
            )
        ]
        if aids
        else []
    )
    for a in acts:
        a["partners"] = [p for p in pars if p["action_id"] == a["id"]]
    for g in goals:
        g["indicators"] = [i for i in inds if i["goal_id"] == g["id"]]
        g["actions"] = [a for a in acts if a["goal_id"] == g["id"]]
    for n in negs:
        n["participants"] = [p for p in parts if p["negotiation_id"] == n["id"]]
        n["goals"] = [g for g in goals if g["negotiation_id"] == n["id"]]
    return negs


def negotiation_tree(group_id: str, round_year: int, eng: sa.Engine | None = None) -> dict | None:
    """One negotiation with participants, goals (indicators, actions, partners), or None."""
    with _engine(eng).connect() as con:
        found = _trees(
            con, (negotiation.c.group_id == group_id) & (negotiation.c.round_year == int(round_year))
        )
    return found[0] if found else None


def round_trees(round_year: int, eng: sa.Engine | None = None) -> list[dict]:
    """Every group's negotiation of one round (the summary across groups)."""
    with _engine(eng).connect() as con:
        return _trees(con, negotiation.c.round_year == int(round_year))


def latest_tree(group_id: str, before: int | None = None, eng: sa.Engine | None = None) -> dict | None:
    """The group's most recent negotiation (before round `before`, when given)."""
    q = sa.select(sa.func.max(negotiation.c.round_year)).where(negotiation.c.group_id == group_id)
    if before is not None:
        q = q.where(negotiation.c.round_year < int(before))
    with _engine(eng).connect() as con:
        year = con.execute(q).scalar_one_or_none()
        if year is None:
            return None
        found = _trees(con, (negotiation.c.group_id == group_id) & (negotiation.c.round_year == year))
    return found[0] if found else None


def changes(table_name: str, record_id: int, eng: sa.Engine | None = None) -> list[dict]:
    """The change log of one record, oldest first (before/after parsed)."""
    with _engine(eng).connect() as con:
        rows = [
            _row(r)
            for r in con.execute(
                sa.select(change_log)
                .where(change_log.c.table_name == table_name, change_log.c.record_id == int(record_id))
                .order_by(change_log.c.id)
            )
        ]
    for r in rows:
        r["before"] = json.loads(r["before"]) if r["before"] else None
        r["after"] = json.loads(r["after"]) if r["after"] else None
    return rows


# --- the change log ---------------------------------------------------------------------------


def _snapshot(con, table: sa.Table, record_id: int) -> dict | None:
    row = con.execute(sa.select(table).where(table.c.id == record_id)).first()
    if row is None:
        return None
    out = _row(row)
    if table is negotiation:
        out["participants"] = [
            _row(r)
            for r in con.execute(
                sa.select(participant)
                .where(participant.c.negotiation_id == record_id)
                .order_by(participant.c.id)
            )
        ]
    elif table is goal:
        out["indicators"] = [
            _row(r)
            for r in con.execute(
                sa.select(goal_indicator)
                .where(goal_indicator.c.goal_id == record_id)
                .order_by(goal_indicator.c.id)
            )
        ]
    elif table is action:
        out["partners"] = [
            _row(r)
            for r in con.execute(
                sa.select(partner).where(partner.c.action_id == record_id).order_by(partner.c.id)
            )
        ]
    return out


def _log(
    con,
    who: Identity,
    table: sa.Table,
    record_id: int,
    operation: str,
    before: dict | None,
    after: dict | None,
    at: str,
) -> None:
    con.execute(
        sa.insert(change_log).values(
            changed_at=at,
            actor=who.label,
            table_name=table.name,
            record_id=int(record_id),
            operation=operation,
            before=None if before is None else json.dumps(before, ensure_ascii=False, sort_keys=True),
            after=None if after is None else json.dumps(after, ensure_ascii=False, sort_keys=True),
        )
    )


def _stale(con, table: sa.Table, record_id: int) -> StaleRecord:
    current = _snapshot(con, table, record_id)
    if current is None:
        return StaleRecord(
            _(
                "Tallennus peruttiin: joku poisti tämän kirjauksen sen jälkeen, kun "
                "avasit sen. Tekstisi on yhä lomakkeella."
            )
        )
    return StaleRecord(
        _(
            "Tallennus peruttiin: {who} muutti tätä kirjausta ({when}) sen jälkeen, "
            "kun avasit sen. Tekstisi on yhä lomakkeella: lataa uusin versio ja tee "
            "muutoksesi uudelleen.",
            who=current["updated_by"],
            when=current["updated_at"],
        ),
        current,
    )


def _update_versioned(
    con, table: sa.Table, record_id: int, expected_version: int, who: Identity, at: str, values: dict
) -> None:
    result = con.execute(
        sa.update(table)
        .where(table.c.id == int(record_id), table.c.version == int(expected_version))
        .values(**values, version=int(expected_version) + 1, updated_at=at, updated_by=who.label)
    )
    if result.rowcount != 1:
        raise _stale(con, table, record_id)


def _delete_versioned(con, table: sa.Table, record_id: int, expected_version: int) -> None:
    result = con.execute(
        sa.delete(table).where(table.c.id == int(record_id), table.c.version == int(expected_version))
    )
    if result.rowcount != 1:
        raise _stale(con, table, record_id)


def _stamps(who: Identity, at: str) -> dict:
    return {"version": 1, "created_at": at, "updated_at": at, "updated_by": who.label}


# --- writes -----------------------------------------------------------------------------------


def save_negotiation(
    who: Identity,
    group_id: str,
    round_year: int,
    fields: dict,
    negotiation_id: int | None = None,
    expected_version: int | None = None,
    is_demo: bool = False,
    eng: sa.Engine | None = None,
) -> int:
    """Record a new negotiation (negotiation_id None) or update one at `expected_version`."""
    access.require_editor(who)
    problems: dict[str, str] = {}
    year = validate.round_year(round_year, problems)
    if not group_id or len(str(group_id)) > 100:
        problems["group_id"] = _("Kuntaryhmä puuttuu.")
    if problems:
        raise validate.ValidationError(problems)
    clean = validate.negotiation_input(fields)
    values = {"held_on": _as_date(clean["held_on"]), "place": clean["place"], "notes": clean["notes"]}
    at = now()
    with _engine(eng).begin() as con:
        if negotiation_id is None:
            exists = con.execute(
                sa.select(negotiation.c.id).where(
                    negotiation.c.group_id == group_id, negotiation.c.round_year == year
                )
            ).first()
            if exists is not None:
                raise StaleRecord(
                    _(
                        "Ryhmän kierros {year} on jo kirjattu (joku ehti ensin). Tekstisi "
                        "on yhä lomakkeella; avaa kirjaus ja täydennä sitä.",
                        year=year,
                    ),
                    _snapshot(con, negotiation, exists[0]),
                )
            negotiation_id = con.execute(
                sa.insert(negotiation).values(
                    group_id=group_id, round_year=year, is_demo=bool(is_demo), **values, **_stamps(who, at)
                )
            ).inserted_primary_key[0]
            before = None
            operation = "insert"
        else:
            before = _snapshot(con, negotiation, negotiation_id)
            if before is None:
                raise _stale(con, negotiation, negotiation_id)
            _update_versioned(con, negotiation, negotiation_id, expected_version, who, at, values)
            con.execute(sa.delete(participant).where(participant.c.negotiation_id == negotiation_id))
            operation = "update"
        for kind, count, names in clean["participants"]:
            con.execute(
                sa.insert(participant).values(
                    negotiation_id=negotiation_id, kind=kind, count=count, names=names
                )
            )
        _log(
            con,
            who,
            negotiation,
            negotiation_id,
            operation,
            before,
            _snapshot(con, negotiation, negotiation_id),
            at,
        )
    return int(negotiation_id)


def save_goal(
    who: Identity,
    negotiation_id: int,
    priority: str,
    text: str,
    indicators: list[validate.IndicatorChoice],
    known_indicators,
    baselines: dict[int, Baseline] | None = None,
    indicator_names: dict[int, str] | None = None,
    goal_id: int | None = None,
    expected_version: int | None = None,
    eng: sa.Engine | None = None,
) -> int:
    """Add a goal or update one; an indicator already on the goal keeps its baseline."""
    access.require_editor(who)
    priority, text, chosen = validate.goal_input(priority, text, indicators, known_indicators)
    baselines = baselines or {}
    indicator_names = indicator_names or {}
    at = now()
    with _engine(eng).begin() as con:
        if con.execute(sa.select(negotiation.c.id).where(negotiation.c.id == negotiation_id)).first() is None:
            raise StaleRecord(_("Tallennus peruttiin: neuvottelua ei enää ole. Tekstisi on yhä lomakkeella."))
        if goal_id is None:
            order = (
                con.execute(
                    sa.select(sa.func.coalesce(sa.func.max(goal.c.sort_order), 0)).where(
                        goal.c.negotiation_id == negotiation_id
                    )
                ).scalar_one()
                + 1
            )
            goal_id = con.execute(
                sa.insert(goal).values(
                    negotiation_id=negotiation_id,
                    priority=priority,
                    text=text,
                    sort_order=order,
                    **_stamps(who, at),
                )
            ).inserted_primary_key[0]
            before, operation, existing = None, "insert", {}
        else:
            before = _snapshot(con, goal, goal_id)
            if before is None or before["negotiation_id"] != negotiation_id:
                raise _stale(con, goal, goal_id)
            _update_versioned(
                con, goal, goal_id, expected_version, who, at, {"priority": priority, "text": text}
            )
            existing = {i["indicator_id"]: i for i in before["indicators"]}
            operation = "update"
        keep = {c.indicator_id for c in chosen}
        gone = [i["id"] for iid, i in existing.items() if iid not in keep]
        if gone:
            con.execute(sa.delete(goal_indicator).where(goal_indicator.c.id.in_(gone)))
        for c in chosen:
            if c.indicator_id in existing:
                con.execute(
                    sa.update(goal_indicator)
                    .where(goal_indicator.c.id == existing[c.indicator_id]["id"])
                    .values(direction=c.direction, target_value=c.target_value)
                )
                continue
            base = baselines.get(c.indicator_id) or Baseline(None, None)
            con.execute(
                sa.insert(goal_indicator).values(
                    goal_id=goal_id,
                    indicator_id=c.indicator_id,
                    indicator_name=str(indicator_names.get(c.indicator_id, ""))[: schema.NAME_LENGTH],
                    direction=c.direction,
                    target_value=c.target_value,
                    baseline_value=base.value,
                    baseline_year=base.year,
                    baseline_lo=base.lo,
                    baseline_hi=base.hi,
                    baseline_scope=base.scope,
                    baseline_captured_at=at if base.value is not None else None,
                )
            )
        _log(con, who, goal, goal_id, operation, before, _snapshot(con, goal, goal_id), at)
    return int(goal_id)


def delete_goal(who: Identity, goal_id: int, expected_version: int, eng: sa.Engine | None = None) -> None:
    """Remove a goal with its indicators and actions (the change log keeps them)."""
    access.require_editor(who)
    at = now()
    with _engine(eng).begin() as con:
        before = _snapshot(con, goal, goal_id)
        if before is None:
            raise _stale(con, goal, goal_id)
        before["actions"] = [
            _snapshot(con, action, a[0])
            for a in con.execute(sa.select(action.c.id).where(action.c.goal_id == goal_id))
        ]
        _delete_versioned(con, goal, goal_id, expected_version)
        _log(con, who, goal, goal_id, "delete", before, None, at)


def save_action(
    who: Identity,
    goal_id: int,
    fields: dict,
    members: tuple[str, ...] = (),
    action_id: int | None = None,
    expected_version: int | None = None,
    eng: sa.Engine | None = None,
) -> int:
    """Add an action to a goal or update one (partners replaced by the given list)."""
    access.require_editor(who)
    clean = validate.action_input(fields, members)
    partners = clean.pop("partners")
    clean["status_date"] = _as_date(clean["status_date"])
    at = now()
    with _engine(eng).begin() as con:
        if con.execute(sa.select(goal.c.id).where(goal.c.id == goal_id)).first() is None:
            raise StaleRecord(_("Tallennus peruttiin: tavoitetta ei enää ole. Tekstisi on yhä lomakkeella."))
        if action_id is None:
            order = (
                con.execute(
                    sa.select(sa.func.coalesce(sa.func.max(action.c.sort_order), 0)).where(
                        action.c.goal_id == goal_id
                    )
                ).scalar_one()
                + 1
            )
            action_id = con.execute(
                sa.insert(action).values(goal_id=goal_id, sort_order=order, **clean, **_stamps(who, at))
            ).inserted_primary_key[0]
            before, operation = None, "insert"
        else:
            before = _snapshot(con, action, action_id)
            if before is None or before["goal_id"] != goal_id:
                raise _stale(con, action, action_id)
            _update_versioned(con, action, action_id, expected_version, who, at, clean)
            con.execute(sa.delete(partner).where(partner.c.action_id == action_id))
            operation = "update"
        for organisation, kind in partners:
            con.execute(sa.insert(partner).values(action_id=action_id, organisation=organisation, kind=kind))
        _log(con, who, action, action_id, operation, before, _snapshot(con, action, action_id), at)
    return int(action_id)


def set_status(
    who: Identity,
    action_id: int,
    expected_version: int,
    status: str,
    comment: str = "",
    on: date | str | None = None,
    eng: sa.Engine | None = None,
) -> None:
    """Keep an action's status up to date, with a dated comment."""
    access.require_editor(who)
    problems: dict[str, str] = {}
    validate.choice(status, schema.STATUSES, "status", problems, _("Tila"))
    comment = validate.clean(comment, validate.TEXT_LIMIT, "status_comment", problems, _("Tilan kommentti"))
    if problems:
        raise validate.ValidationError(problems)
    at = now()
    with _engine(eng).begin() as con:
        before = _snapshot(con, action, action_id)
        if before is None:
            raise _stale(con, action, action_id)
        _update_versioned(
            con,
            action,
            action_id,
            expected_version,
            who,
            at,
            {
                "status": status,
                "status_comment": comment,
                "status_date": _as_date(on) or datetime.now(UTC).date(),
            },
        )
        _log(con, who, action, action_id, "update", before, _snapshot(con, action, action_id), at)


def delete_action(who: Identity, action_id: int, expected_version: int, eng: sa.Engine | None = None) -> None:
    access.require_editor(who)
    at = now()
    with _engine(eng).begin() as con:
        before = _snapshot(con, action, action_id)
        if before is None:
            raise _stale(con, action, action_id)
        _delete_versioned(con, action, action_id, expected_version)
        _log(con, who, action, action_id, "delete", before, None, at)
