"""Sotkanet responses recorded in a directory, served with the same methods as the client.

Layout (what SotkanetClient(save_dir=...) writes): regions.json, indicators.json,
indicators/{id}.json and data/{id}.json. Data are prepared on a machine with internet and
built elsewhere without it (`hyte ingest --source dir --from-dir DIR`).
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from .client import ClientStats, SotkanetError
from .settings import GENDERS

# One indicator's data for all of Finland over 25 years is a few MB; anything far larger is
# not a recording (a symlink to /dev/zero, a disk image) and would exhaust memory.
MAX_RECORDED_BYTES = 256 * 2**20


class _TooBig(Exception):
    pass


def _read_capped(path: Path, limit: int = MAX_RECORDED_BYTES) -> bytes:
    """A regular file's bytes, at most `limit` of them (devices, FIFOs and bigger files
    are refused before reading)."""
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise _TooBig("not a regular file (a device, FIFO or socket)")
        if st.st_size > limit:
            raise _TooBig(f"recorded file is {st.st_size:,} bytes, over the "
                          f"{limit // 2**20} MB limit")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise _TooBig(f"recorded file is over the {limit // 2**20} MB limit")
    return data


class RecordedResponses:
    """Read-only source over a recorded directory; raises SotkanetError naming the bad file."""

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)
        self.base_url = str(self.directory)
        self.stats = ClientStats()  # every answer counts as a cache hit: no network is used
        if not self.directory.is_dir():
            raise SotkanetError("recorded responses", str(self.directory), "directory not found")

    def regions(self) -> list[dict]:
        return self._read("regions", Path("regions.json"), list)

    def indicators(self) -> list[dict]:
        return self._read("the indicator catalogue", Path("indicators.json"), list)

    def indicator(self, indicator_id: int) -> dict:
        iid = int(indicator_id)
        return self._read(f"metadata of indicator {iid}", Path("indicators") / f"{iid}.json", dict)

    def data(
        self, indicator_id: int, years: Iterable[int], genders: Iterable[str] = GENDERS
    ) -> list[dict]:
        iid = int(indicator_id)
        rows = self._read(f"data of indicator {iid}", Path("data") / f"{iid}.json", list)
        wanted_years = {int(y) for y in years}
        wanted_genders = set(genders)
        out = []
        for row in rows:
            if not isinstance(row, dict):
                out.append(row)  # let the transform report malformed rows
                continue
            try:
                year = int(row.get("year"))
            except (TypeError, ValueError, OverflowError):  # e.g. Infinity: the transform
                out.append(row)  # reports (or drops) it with the rest
                continue
            if year in wanted_years and row.get("gender") in wanted_genders:
                out.append(row)
        return out

    def close(self) -> None:
        pass

    def __enter__(self) -> RecordedResponses:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _read(self, what: str, relative: Path, kind: type):
        path = self.directory / relative
        try:
            text = _read_capped(path)
        except FileNotFoundError:
            raise SotkanetError(what, str(path), "recorded file not found") from None
        except OSError as exc:
            raise SotkanetError(what, str(path),
                                f"cannot read recorded file: {exc.strerror or exc}") from None
        except _TooBig as exc:
            raise SotkanetError(what, str(path), str(exc)) from None
        try:
            parsed = json.loads(text)
        except RecursionError:
            raise SotkanetError(what, str(path),
                                "recorded file nests JSON too deeply to read") from None
        except ValueError as exc:
            raise SotkanetError(what, str(path), f"recorded file is not valid JSON: {exc}") from None
        if not isinstance(parsed, kind):
            expected = "array" if kind is list else "object"
            raise SotkanetError(
                what,
                str(path),
                f"recorded file holds a {type(parsed).__name__}, expected a JSON {expected}",
            )
        self.stats.cache_hits += 1
        return parsed
