"""Record stores for tests: a fresh SQLite file, and a throwaway PostgreSQL cluster.

The PostgreSQL cluster is started once per session, as the `postgres` user, in a temporary
directory on a free loopback port (`make test` installs Debian's postgresql when run as
root); where that is impossible the PostgreSQL cases are skipped with the reason shown.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.browser_support import free_port

_counter = itertools.count()


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    exe = shutil.which("initdb")
    return Path(exe).resolve().parent if exe else None


class Cluster:
    def __init__(self):
        self.bin = postgres_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="hyte-pg-"))
        self.port = free_port()
        self.user = pwd.getpwuid(os.getuid()).pw_name

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if os.getuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)

    def start(self) -> Cluster:
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        data = self.dir / "data"
        proc = self._run(
            "initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"
        )
        if proc.returncode:
            raise RuntimeError(proc.stderr.strip()[-500:])
        proc = self._run(
            "pg_ctl",
            "-D",
            str(data),
            "-l",
            str(self.dir / "log"),
            "-w",
            "-t",
            "60",
            "-o",
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        )
        if proc.returncode:
            log = (self.dir / "log").read_text() if (self.dir / "log").exists() else ""
            raise RuntimeError((proc.stderr + log).strip()[-800:])
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        import psycopg

        name = f"hyte_{os.getpid()}_{next(_counter)}_{int(time.time() * 1000) % 100000}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


def start_cluster() -> tuple[Cluster | None, str]:
    """(cluster, "") or (None, why it cannot start)."""
    if postgres_bin() is None:
        return None, (
            "PostgreSQL is not installed (no initdb; `make test` installs Debian's "
            "postgresql when run as root)"
        )
    if os.getuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return None, "no 'postgres' user to run the throwaway cluster as"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return None, "the psycopg package is missing"
    cluster = Cluster()
    try:
        return cluster.start(), ""
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(cluster.dir, ignore_errors=True)
        return None, f"could not start a throwaway PostgreSQL cluster: {exc}"


@pytest.fixture(scope="session")
def postgres():
    cluster, why = start_cluster()
    if cluster is None:
        pytest.skip(why)
    yield cluster
    cluster.stop()


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / f'records-{next(_counter)}.sqlite'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A new, empty (unmigrated) store: SQLite always, PostgreSQL when one can be started."""
    from dashboard.records import db

    if request.param == "sqlite":
        url = sqlite_url(tmp_path)
    else:
        url = request.getfixturevalue("postgres").new_database()
    yield url
    db.dispose(url)
