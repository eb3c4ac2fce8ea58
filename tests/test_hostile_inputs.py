"""Hostile and broken inputs to `hyte ingest`, `export`, `status` and `serve`: one table.

Every row runs the real command in its own process (`python -m pipelines ...`, so a
RecursionError or MemoryError would show as the traceback a user sees) and checks the same
contract: a non-zero exit, one clear line on stderr naming the file, entry or argument, no
traceback, no leftovers (build files, temporary files, the lock) and the live warehouse
byte-for-byte as it was. Rows that need root (tmpfs mounts, chattr) are skipped with that
reason elsewhere.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from pipelines import ingest
from pipelines.config import load_config
from tests.fake_sotkanet import FIXTURE_DIR, FakeSotkanet
from tests.warehouse_fixtures import ROOT

TEST_CONFIG = ROOT / "tests" / "fixtures" / "config"
IS_ROOT = os.geteuid() == 0


@dataclass
class Case:
    """A sandbox for one row: its own config, recorded responses, live warehouse, env."""

    root: Path
    env: dict[str, str] = field(default_factory=dict)
    mounts: list[Path] = field(default_factory=list)
    immutable: list[Path] = field(default_factory=list)

    @property
    def config(self) -> Path:
        return self.root / "config"

    @property
    def recorded(self) -> Path:
        return self.root / "recorded"

    @property
    def live(self) -> Path:
        return Path(self.env["HYTE_WAREHOUSE"])

    def mount_tmpfs(self, name: str, size: str) -> Path:
        point = self.root / name
        point.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                       check=True)
        self.mounts.append(point)
        return point

    def cleanup(self) -> None:
        for path in self.immutable:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        for point in reversed(self.mounts):
            subprocess.run(["umount", "-l", str(point)], check=False)


def _fill(folder: Path, leave: int = 0) -> None:
    """Fill a (small tmpfs) file system to the last byte, or all but `leave` bytes."""
    (folder / "reserve").write_bytes(b"\0" * leave)
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        for size in (65536, 4096, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * size)
    finally:
        os.close(fd)
    (folder / "reserve").unlink()


def _json_file(path: Path, transform) -> None:
    path.write_text(json.dumps(transform(json.loads(path.read_text(encoding="utf-8")))),
                    encoding="utf-8")


# -- the rows: (id, prepare(case) -> argv, exit code, text the one line must contain) ------

def save_responses_disk_full(c: Case):
    full = c.mount_tmpfs("full", "256k")
    _fill(full)
    c.env["SOTKANET_BASE_URL"] = c.env["FAKE_URL"]
    return ["ingest", "--source", "sotkanet", "--save-responses", str(full / "rec")]


def warehouse_is_a_directory(c: Case):
    folder = c.root / "wh-dir"
    folder.mkdir()
    c.env["HYTE_WAREHOUSE"] = str(folder)
    return ["ingest", "--source", "dir", "--from-dir", str(c.recorded)]


def warehouse_immutable(c: Case):
    subprocess.run(["chattr", "+i", str(c.live)], check=True)
    c.immutable.append(c.live)
    return ["ingest", "--source", "dir", "--from-dir", str(c.recorded)]


def warehouse_read_only_fs(c: Case):
    ro = c.mount_tmpfs("ro", "16m")
    shutil.copy(c.live, ro / "warehouse.duckdb")
    subprocess.run(["mount", "-o", "remount,ro", str(ro)], check=True)
    c.env["HYTE_WAREHOUSE"] = str(ro / "warehouse.duckdb")
    return ["ingest", "--source", "dir", "--from-dir", str(c.recorded)]


def warehouse_build_disk_full(c: Case):
    small = c.mount_tmpfs("small", "6m")
    shutil.copy(c.live, small / "warehouse.duckdb")
    c.env["HYTE_WAREHOUSE"] = str(small / "warehouse.duckdb")
    _fill(small, leave=256 * 1024)  # room for the lock and a start, not for a build
    return ["ingest", "--source", "dir", "--from-dir", str(c.recorded)]


def http_cache_unwritable(c: Case):
    blocker = c.root / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    c.env["HYTE_HTTP_CACHE"] = str(blocker / "http")
    c.env["SOTKANET_BASE_URL"] = c.env["FAKE_URL"]
    return ["ingest", "--source", "sotkanet"]


def config_file_is_a_directory(c: Case):
    (c.config / "regions.toml").unlink()
    (c.config / "regions.toml").mkdir()
    return ["ingest", "--source", "dir", "--from-dir", str(c.recorded)]


def config_not_utf8(c: Case):
    path = c.config / "indicators.toml"
    path.write_bytes(path.read_bytes().replace("Työttömät".encode(), b"Ty\xf6tt\xf6m\xe4t", 1))
    return ["ingest", "--source", "dir", "--from-dir", str(c.recorded)]


def config_nested_50000_deep(c: Case):
    (c.config / "groups.toml").write_text("x = " + "[" * 50_000 + "]" * 50_000 + "\n")
    return ["ingest", "--source", "dir", "--from-dir", str(c.recorded)]


def indicator_id_negative(c: Case):
    path = c.config / "indicators.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("id = 4\n", "id = -4\n", 1),
                    encoding="utf-8")
    return ["ingest", "--source", "dir", "--from-dir", str(c.recorded)]


def indicator_id_2_to_the_40(c: Case):
    path = c.config / "indicators.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("id = 4\n", f"id = {2**40}\n", 1),
                    encoding="utf-8")
    return ["ingest", "--source", "dir", "--from-dir", str(c.recorded)]


def recorded_json_100000_deep(c: Case):
    (c.recorded / "regions.json").write_text("[" * 100_000 + "]" * 100_000)
    return ["ingest", "--source", "dir", "--from-dir", str(c.recorded)]


def recorded_symlink_to_dev_zero(c: Case):
    (c.recorded / "regions.json").unlink()
    (c.recorded / "regions.json").symlink_to("/dev/zero")
    return ["ingest", "--source", "dir", "--from-dir", str(c.recorded)]


def recorded_region_id_beyond_32_bits(c: Case):
    def shift(regions):
        for r in regions:
            if r["id"] == 85:
                r["id"] = 2**32 + 85
        return regions
    _json_file(c.recorded / "regions.json", shift)
    return ["ingest", "--source", "dir", "--from-dir", str(c.recorded)]


def seed_negative(c: Case):
    return ["ingest", "--source", "demo", "--seed", "-1"]


def serve_port_99999(c: Case):
    return ["serve", "--port", "99999"]


def serve_address_unresolvable(c: Case):
    return ["serve", "--port", "8599", "--address", "no-such-host.invalid"]


def export_missing_meta_row(c: Case):
    con = duckdb.connect(str(c.live))
    con.execute("DELETE FROM warehouse_meta WHERE key = 'country_region_id'")
    con.close()
    return ["export", "--group", "jyvaskyla-muurame", "--format", "html",
            "--out", str(c.root / "out")]


def export_missing_column(c: Case):
    con = duckdb.connect(str(c.live))
    con.execute("ALTER TABLE region DROP COLUMN population")
    con.close()
    return ["export", "--group", "jyvaskyla-muurame", "--format", "html",
            "--out", str(c.root / "out")]


def export_truncated_warehouse(c: Case):
    os.truncate(c.live, c.live.stat().st_size // 2)
    return ["export", "--format", "html", "--out", str(c.root / "out")]


def status_truncated_warehouse(c: Case):
    os.truncate(c.live, c.live.stat().st_size // 2)
    return ["status"]


ROOT_ONLY = pytest.mark.skipif(not IS_ROOT, reason="needs root: tmpfs mounts and chattr")

ROWS = [
    pytest.param(save_responses_disk_full, 1, "--save-responses: cannot write",
                 "No space left on device", marks=ROOT_ONLY),
    pytest.param(warehouse_is_a_directory, 1, "wh-dir is a directory", ""),
    pytest.param(warehouse_immutable, 1, "cannot replace", "Operation not permitted",
                 marks=ROOT_ONLY),
    pytest.param(warehouse_read_only_fs, 1, "warehouse.duckdb.lock", "Read-only file system",
                 marks=ROOT_ONLY),
    pytest.param(warehouse_build_disk_full, 1, "building the warehouse in", "build",
                 marks=ROOT_ONLY),
    pytest.param(http_cache_unwritable, 1, "HTTP cache (HYTE_HTTP_CACHE)", "not-a-dir/http"),
    pytest.param(config_file_is_a_directory, 1, "regions.toml: is a directory", ""),
    pytest.param(config_not_utf8, 1, "indicators.toml: line", "not UTF-8"),
    pytest.param(config_nested_50000_deep, 1, "groups.toml: nested too deeply", ""),
    pytest.param(indicator_id_negative, 1, "indicators.toml: indicator #4: field 'id'", "-4"),
    pytest.param(indicator_id_2_to_the_40, 1, "indicators.toml: indicator #4: field 'id'",
                 str(2**40)),
    pytest.param(recorded_json_100000_deep, 1, "regions.json", "nests JSON too deeply"),
    pytest.param(recorded_symlink_to_dev_zero, 1, "regions.json", "not a regular file"),
    pytest.param(recorded_region_id_beyond_32_bits, 1, "region id 4294967381",
                 "outside 1..2147483647"),
    pytest.param(seed_negative, 2, "argument --seed", "-1 is outside 0..4294967295"),
    pytest.param(serve_port_99999, 2, "argument --port", "99999 is not a port"),
    pytest.param(serve_address_unresolvable, 2, "--address 'no-such-host.invalid'",
                 "cannot be resolved"),
    pytest.param(export_missing_meta_row, 1, "warehouse_meta has no 'country_region_id' row",
                 "hyte ingest"),
    pytest.param(export_missing_column, 1, "table 'region' has no column 'population'",
                 "hyte ingest"),
    pytest.param(export_truncated_warehouse, 1, "cannot be read", "hyte ingest"),
    pytest.param(status_truncated_warehouse, 1, "cannot be read", "hyte ingest"),
]


@pytest.fixture(scope="module")
def previous_warehouse(tmp_path_factory) -> Path:
    """A published warehouse of the fixture data: the 'live' file every row starts from."""
    live = tmp_path_factory.mktemp("previous") / "warehouse.duckdb"
    result = ingest.run(load_config(TEST_CONFIG), "dir", live, from_dir=FIXTURE_DIR)
    assert result.exit_code == 0
    return live


@pytest.fixture(scope="module")
def fake():
    with FakeSotkanet(FIXTURE_DIR) as server:
        yield server


def digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def leftovers(case: Case, live: Path) -> list[str]:
    found = []
    build = live.parent / "build"
    if build.is_dir():
        found += [str(p) for p in build.iterdir()]
    lock = live.with_name(live.name + ".lock")
    if os.path.lexists(lock):
        found.append(str(lock))
    for p in case.root.rglob("*.tmp"):
        found.append(str(p))
    return found


@pytest.mark.parametrize(("prepare", "code", "names", "says"), ROWS,
                         ids=[r.values[0].__name__ for r in ROWS])
def test_hostile_input_is_one_line_and_changes_nothing(prepare, code, names, says, tmp_path,
                                                       previous_warehouse, fake):
    case = Case(tmp_path)
    shutil.copytree(TEST_CONFIG, case.config)
    shutil.copytree(FIXTURE_DIR, case.recorded)
    (tmp_path / "live").mkdir()
    live = tmp_path / "live" / "warehouse.duckdb"
    shutil.copy(previous_warehouse, live)
    case.env = {**os.environ, "HYTE_WAREHOUSE": str(live), "HYTE_CONFIG_DIR": str(case.config),
                "HYTE_HTTP_CACHE": str(tmp_path / "cache"), "SOTKANET_BASE_URL":
                "http://127.0.0.1:9/unused", "FAKE_URL": fake.url}
    case.env.pop("HYTE_DEBUG", None)
    try:
        argv = prepare(case)
        if argv[0] == "ingest":
            argv.append("--quiet")  # progress lines are not the failure line
        target = case.live
        before = digest(target)
        proc = subprocess.run([sys.executable, "-m", "pipelines", *argv], cwd=ROOT,
                              env=case.env, capture_output=True, text=True, timeout=180,
                              check=False)
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        print(f"{prepare.__name__}: exit {proc.returncode}: {proc.stderr.strip()}")
        assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
        assert proc.returncode == code, proc.stderr[-3000:]
        assert len(lines) == 1, lines
        assert lines[0].startswith("hyte: error: "), lines
        assert names in lines[0] and says in lines[0], lines[0]
        assert "\x1b" not in proc.stderr
        assert digest(target) == before  # the live warehouse is as it was
        assert leftovers(case, target) == []
    finally:
        case.cleanup()


# -- the same contract for the rows that publish with a warning (exit 3) ---------------------

def data_year_infinity(c: Case):
    path = c.recorded / "data" / "181.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"year": 2020', '"year": Infinity', 1), encoding="utf-8")


def metadata_range_ends_in_year_10_to_12(c: Case):
    _json_file(c.recorded / "indicators" / "181.json",
               lambda m: {**m, "range": {**m["range"], "end": 10**12}})


def data_file_symlink_to_dev_zero(c: Case):
    (c.recorded / "data" / "181.json").unlink()
    (c.recorded / "data" / "181.json").symlink_to("/dev/zero")


def data_json_100000_deep(c: Case):
    (c.recorded / "data" / "181.json").write_text("[" * 100_000 + "]" * 100_000)


WARNED = [
    (data_year_infinity, "indicator 181:", "'year' is not an integer"),
    (metadata_range_ends_in_year_10_to_12, "indicator 181:",
     "metadata year range 1987..1000000000000 is not within 1900..2100"),
    (data_file_symlink_to_dev_zero, "indicator 181:", "not a regular file"),
    (data_json_100000_deep, "indicator 181:", "nests JSON too deeply"),
]


@pytest.mark.parametrize(("prepare", "names", "says"), WARNED,
                         ids=[w[0].__name__ for w in WARNED])
def test_hostile_indicator_file_is_one_warning_and_the_rest_is_published(
        prepare, names, says, tmp_path, previous_warehouse):
    case = Case(tmp_path)
    shutil.copytree(TEST_CONFIG, case.config)
    shutil.copytree(FIXTURE_DIR, case.recorded)
    live = tmp_path / "warehouse.duckdb"
    shutil.copy(previous_warehouse, live)
    env = {**os.environ, "HYTE_WAREHOUSE": str(live), "HYTE_CONFIG_DIR": str(case.config)}
    prepare(case)
    proc = subprocess.run([sys.executable, "-m", "pipelines", "ingest", "--source", "dir",
                           "--from-dir", str(case.recorded), "--quiet"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180, check=False)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode == 3, proc.stderr[-3000:]
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and names in warnings[0] and says in warnings[0], proc.stderr
    assert leftovers(case, live) == []
