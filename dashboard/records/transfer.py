"""The record as one JSON file (lossless, both ways) and a consistent backup while it runs.

Export: every table's rows in key order, with ids, versions and the whole change log; dates
as ISO text. Import: into an empty, migrated store only (the change log is append-only, so
a store with history is never overwritten), ids kept, PostgreSQL's id sequences moved past
them. Backup: SQLite's online backup API (a consistent copy even while the app writes); for
PostgreSQL the JSON export (a logical copy, no pg_dump needed).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from dashboard.records import db, schema, store

FORMAT = "hyte-records"
FORMAT_VERSION = 1


class TransferError(RuntimeError):
    """An export, import or backup cannot be made; one line naming the reason."""


def export_data(eng: sa.Engine | None = None) -> dict:
    eng = eng if eng is not None else db.engine()
    tables = {}
    # One snapshot for every table: under PostgreSQL's default READ COMMITTED each SELECT
    # would see the commits made between them (a goal without its change-log row).
    snapshot = {} if db.is_sqlite(eng) else {"isolation_level": "REPEATABLE READ"}
    with eng.connect().execution_options(**snapshot) as con, con.begin():
        for table in schema.TABLES:
            rows = con.execute(sa.select(table).order_by(table.c.id))
            tables[table.name] = [{k: _out(v) for k, v in r._mapping.items()} for r in rows]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema": db.current(eng),
        "exported_at": store.now(),
        "tables": tables,
    }


def _out(value):
    return value.isoformat() if isinstance(value, date) else value


def export_json(eng: sa.Engine | None = None) -> str:
    return json.dumps(export_data(eng), ensure_ascii=False, indent=1, sort_keys=True)


def import_data(doc: dict, eng: sa.Engine | None = None) -> dict[str, int]:
    """Load an export into an empty store; returns rows per table."""
    eng = eng if eng is not None else db.engine()
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise TransferError("not a HYTE records export (format field missing or different)")
    if doc.get("format_version") != FORMAT_VERSION:
        raise TransferError(f"export format version {doc.get('format_version')!r} is not {FORMAT_VERSION}")
    tables = doc.get("tables") or {}
    unknown = sorted(set(tables) - {t.name for t in schema.TABLES})
    if unknown:
        raise TransferError(f"unknown tables in the export: {', '.join(unknown)}")
    counts = {}
    with eng.begin() as con:
        for table in schema.TABLES:
            if con.execute(sa.select(table.c.id).limit(1)).first() is not None:
                raise TransferError(
                    f"the store is not empty (table {table.name} has rows); import only into a new store"
                )
        for table in schema.TABLES:
            rows = [_in(table, r) for r in tables.get(table.name, [])]
            if rows:
                con.execute(sa.insert(table), rows)
            counts[table.name] = len(rows)
        if con.dialect.name == "postgresql":
            for table in schema.TABLES:
                con.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                    )
                )
    return counts


def _in(table: sa.Table, row: dict) -> dict:
    out = {}
    for col in table.columns:
        if col.name not in row:
            continue
        value = row[col.name]
        if isinstance(col.type, sa.Date) and isinstance(value, str):
            value = date.fromisoformat(value)
        out[col.name] = value
    return out


def import_json(text: str, eng: sa.Engine | None = None) -> dict[str, int]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TransferError(f"not JSON: {exc}") from None
    return import_data(doc, eng)


def backup(target: Path, eng: sa.Engine | None = None) -> Path:
    """A consistent copy of the store at `target` (SQLite file, or JSON for PostgreSQL)."""
    eng = eng if eng is not None else db.engine()
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if db.is_sqlite(eng):
        if target.exists():
            raise TransferError(f"{target} exists; choose a new file name")
        raw = eng.raw_connection()
        try:
            dest = sqlite3.connect(str(target))
            try:
                raw.driver_connection.backup(dest)
            finally:
                dest.close()
        finally:
            raw.close()
        return target
    target.write_text(export_json(eng), encoding="utf-8")
    return target
