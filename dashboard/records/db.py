"""Where the record lives and how it is opened: SQLite by default, PostgreSQL by URL.

`HYTE_RECORDS_URL` (an SQLAlchemy URL, e.g. postgresql+psycopg://hyte@db/hyte) wins;
otherwise `HYTE_RECORDS` names an SQLite file (default data/records.sqlite). SQLite runs in
WAL mode with foreign keys on and a busy timeout, set on every connection, so a backup or a
second writer never blocks a reader. Unlike the warehouse, the record is opened read-write
and its engine (a small pool) is kept per URL for the life of the process.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_FILE = PROJECT_ROOT / "data" / "records.sqlite"
MIGRATIONS = Path(__file__).resolve().parent / "alembic"

_engines: dict[str, sa.Engine] = {}
_lock = threading.Lock()


class StoreUnavailable(RuntimeError):
    """The record store cannot be opened or migrated; the message names the fix."""


def url() -> str:
    """The store's SQLAlchemy URL from the environment."""
    explicit = os.environ.get("HYTE_RECORDS_URL", "").strip()
    if explicit:
        return explicit
    path = Path(os.environ.get("HYTE_RECORDS", DEFAULT_FILE))
    if not path.is_absolute():
        path = PROJECT_ROOT / path
    return f"sqlite:///{path}"


def safe_url(raw: str) -> str:
    """The URL without its password (for messages and logs)."""
    return sa.engine.make_url(raw).render_as_string(hide_password=True)


def is_sqlite(engine_or_url) -> bool:
    name = (
        engine_or_url.dialect.name
        if isinstance(engine_or_url, sa.Engine)
        else sa.engine.make_url(engine_or_url).get_backend_name()
    )
    return name == "sqlite"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def engine(raw_url: str | None = None) -> sa.Engine:
    """The engine of a URL (default: url()), created once per process."""
    raw_url = raw_url or url()
    with _lock:
        found = _engines.get(raw_url)
        if found is not None:
            return found
        made = sa.engine.make_url(raw_url)
        if made.get_backend_name() == "sqlite":
            database = made.database or ""
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            eng = sa.create_engine(raw_url, connect_args={"timeout": 10})
            sa.event.listen(eng, "connect", _sqlite_pragmas)
        else:
            eng = sa.create_engine(raw_url, pool_pre_ping=True, pool_size=5, max_overflow=5)
        _engines[raw_url] = eng
        return eng


def dispose(raw_url: str | None = None) -> None:
    """Close the pooled connections of one URL (or every URL); tests and backups use it."""
    with _lock:
        for key in [raw_url] if raw_url else list(_engines):
            eng = _engines.pop(key, None)
            if eng is not None:
                eng.dispose()


def alembic_config(eng: sa.Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = eng
    return cfg


def head() -> str:
    """The newest migration's revision id."""
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def current(eng: sa.Engine) -> str | None:
    with eng.connect() as con:
        return MigrationContext.configure(con).get_current_revision()


def migrate(raw_url: str | None = None) -> str:
    """Bring the store's schema up to the newest migration; returns the revision."""
    eng = engine(raw_url)
    try:
        if current(eng) != head():
            command.upgrade(alembic_config(eng), "head")
        return current(eng) or ""
    except sa.exc.SQLAlchemyError as exc:
        raise StoreUnavailable(
            f"records store {safe_url(str(eng.url))}: {str(exc).splitlines()[0]}"
        ) from None
