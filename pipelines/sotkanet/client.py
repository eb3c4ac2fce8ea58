"""HTTP client for the Sotkanet REST API: identified, cached, retried, and loud when it fails."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests
import requests_cache
from requests.adapters import HTTPAdapter
from urllib3.exceptions import (
    ConnectTimeoutError,
    InvalidHeader,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.util.retry import Retry

from ..errors import LocalFileError, describe_os_error
from ..text import printable
from . import settings
from .settings import GENDERS, TIMEOUT


class SotkanetError(Exception):
    """A Sotkanet request failed. The message is one line: what, which URL, why."""

    def __init__(self, what: str, url: str, reason: str, *, status: int | None = None):
        self.what = what
        self.url = url
        self.reason = _one_line(reason)
        self.status = status
        super().__init__(f"Sotkanet: could not get {what} ({url}): {self.reason}")


class CappedRetry(Retry):
    """urllib3 Retry that never sleeps longer than `max_retry_after` for a Retry-After header.

    Plain Retry obeys Retry-After for hours (urllib3 2.x caps it at 6 h); a batch job should
    rather fail and report. An unparseable Retry-After falls back to the normal backoff.
    """

    def __init__(self, *args: Any, max_retry_after: float = settings.MAX_RETRY_AFTER, **kw: Any):
        super().__init__(*args, **kw)
        self.max_retry_after = max_retry_after

    def new(self, **kw: Any) -> CappedRetry:
        retry = super().new(**kw)
        retry.max_retry_after = self.max_retry_after
        return retry

    def get_retry_after(self, response) -> float | None:
        try:
            seconds = super().get_retry_after(response)
        except InvalidHeader:
            return None
        if seconds is None:
            return None
        return max(0.0, min(float(seconds), self.max_retry_after))


def make_retry(
    total: int = settings.RETRY_TOTAL,
    *,
    backoff_factor: float = settings.RETRY_BACKOFF_FACTOR,
    backoff_max: float = settings.RETRY_BACKOFF_MAX,
    max_retry_after: float = settings.MAX_RETRY_AFTER,
    status_forcelist: Iterable[int] = settings.RETRY_STATUS_FORCELIST,
) -> CappedRetry:
    """The retry policy: GETs retried on connection errors, timeouts and the listed statuses."""
    return CappedRetry(
        total=total,
        connect=total,
        read=total,
        status=total,
        backoff_factor=backoff_factor,
        backoff_max=backoff_max,
        status_forcelist=tuple(status_forcelist),
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        # Hand back the last error response instead of raising, so the message can name it.
        raise_on_status=False,
        max_retry_after=max_retry_after,
    )


@dataclass
class ClientStats:
    """Requests answered by the network versus the HTTP cache (a revalidation is network)."""

    network: int = 0
    cache_hits: int = 0
    revalidated: int = 0  # network requests answered 304 Not Modified

    @property
    def requests(self) -> int:
        return self.network + self.cache_hits

    def __str__(self) -> str:
        return (
            f"{self.requests} requests: {self.network} over the network, "
            f"{self.cache_hits} from cache"
        )


class SotkanetClient:
    """Batch client for Sotkanet. Methods return parsed JSON in Sotkanet's own shapes.

    cache_dir: None = settings.http_cache_dir(), False = no HTTP cache, else a directory.
    save_dir: when set, every successful response body is also written there in the layout
    RecordedResponses reads (regions.json, indicators.json, indicators/{id}.json,
    data/{id}.json), so a download can be rebuilt later without network.
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        cache_dir: str | os.PathLike | None | bool = None,
        timeout: float | tuple[float, float] = TIMEOUT,
        retry: Retry | int | None = None,
        save_dir: str | os.PathLike | None = None,
        expire_after: timedelta | int = settings.CACHE_EXPIRE_AFTER,
    ):
        self.base_url = (base_url or settings.base_url()).rstrip("/")
        self.timeout = timeout
        if retry is None:
            retry = make_retry()
        elif isinstance(retry, int) and not isinstance(retry, bool):
            retry = make_retry(retry)
        self.retry = retry
        self.save_dir = Path(save_dir) if save_dir is not None else None
        if self.save_dir is not None:
            _writable_dir(self.save_dir, "--save-responses")
        self.stats = ClientStats()

        if cache_dir is False:
            self.cache_dir = None
            self.session: requests.Session = requests.Session()
        else:
            if cache_dir is None or cache_dir is True:
                cache_dir = settings.http_cache_dir()
            self.cache_dir = Path(cache_dir)
            _writable_dir(self.cache_dir, "HTTP cache (HYTE_HTTP_CACHE)")
            self.session = requests_cache.CachedSession(
                str(self.cache_dir / settings.CACHE_NAME),
                backend="sqlite",
                expire_after=expire_after,
                allowable_codes=(200,),
                allowable_methods=("GET",),
                # Expired entries with an ETag/Last-Modified are revalidated conditionally.
                cache_control=False,
            )
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update(
            {"User-Agent": settings.USER_AGENT, "Accept": "application/json"}
        )

    # -- API ---------------------------------------------------------------------------

    def regions(self) -> list[dict]:
        return self._get_json("regions", "/regions", None, list, Path("regions.json"))

    def indicators(self) -> list[dict]:
        return self._get_json(
            "the indicator catalogue", "/indicators", None, list, Path("indicators.json")
        )

    def indicator(self, indicator_id: int) -> dict:
        iid = _indicator_id(indicator_id)
        return self._get_json(
            f"metadata of indicator {iid}",
            f"/indicators/{iid}",
            None,
            dict,
            Path("indicators") / f"{iid}.json",
        )

    def data(
        self, indicator_id: int, years: Iterable[int], genders: Iterable[str] = GENDERS
    ) -> list[dict]:
        iid = _indicator_id(indicator_id)
        year_list = sorted({int(y) for y in years})
        if not year_list:
            raise ValueError("data(): years is empty")
        wanted = set(genders)
        gender_list = [g for g in GENDERS if g in wanted]  # canonical order: stable cache keys
        if wanted - set(GENDERS) or not gender_list:
            raise ValueError(f"data(): genders must be among {GENDERS}, got {sorted(wanted)}")
        params = (
            [("indicator", str(iid))]
            + [("years", str(y)) for y in year_list]
            + [("genders", g) for g in gender_list]
        )
        return self._get_json(
            f"data of indicator {iid}",
            "/json",
            params,
            list,
            Path("data") / f"{iid}.json",
            shown_query=f"indicator={iid}",
        )

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> SotkanetClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- internals ---------------------------------------------------------------------

    def _get_json(
        self,
        what: str,
        path: str,
        params: list[tuple[str, str]] | None,
        kind: type,
        save_as: Path,
        *,
        shown_query: str = "",
    ):
        url = self.base_url + path
        shown = url + (f"?{shown_query}" if shown_query else "")
        try:
            response = self.session.get(url, params=params, timeout=self.timeout)
        except requests.RequestException as exc:
            raise SotkanetError(what, shown, self._explain(exc)) from exc
        except (sqlite3.Error, OSError) as exc:  # the HTTP cache's SQLite file
            raise LocalFileError(
                f"HTTP cache {self.cache_dir}: {printable(exc)} (set HYTE_HTTP_CACHE to a "
                "writable directory)") from None

        from_cache = bool(getattr(response, "from_cache", False))
        if from_cache and not getattr(response, "revalidated", False):
            self.stats.cache_hits += 1
        else:
            self.stats.network += 1
            if from_cache:
                self.stats.revalidated += 1

        if not 200 <= response.status_code < 300:
            reason = f"HTTP {response.status_code} {response.reason or ''}".strip()
            if response.status_code in self._retried_statuses():
                reason += " (still failing after retries)"
            snippet = _one_line(response.text[:160]) if response.text else ""
            if snippet:
                reason += f": {snippet}"
            raise SotkanetError(what, shown, reason, status=response.status_code)

        body = response.content
        try:
            parsed = json.loads(body)
        except RecursionError:
            self._forget(response)
            raise SotkanetError(what, shown, "response nests JSON too deeply to read") from None
        except ValueError as exc:
            self._forget(response)
            size = len(body)
            raise SotkanetError(
                what, shown, f"response is not valid JSON ({size} bytes; truncated?): {exc}"
            ) from exc
        if not isinstance(parsed, kind):
            self._forget(response)
            raise SotkanetError(
                what,
                shown,
                f"expected a JSON {_json_kind(kind)} at the top level, "
                f"got {_json_kind(type(parsed))}",
            )
        if self.save_dir is not None:
            target = self.save_dir / save_as
            try:
                _write_atomic(target, body)
            except OSError as exc:
                raise LocalFileError(
                    f"--save-responses: cannot write {target}: "
                    f"{exc.strerror or describe_os_error(exc)}"
                ) from None
        return parsed

    def _forget(self, response: requests.Response) -> None:
        """Drop a bad 200 response from the cache so the next run asks again."""
        cache = getattr(self.session, "cache", None)
        if cache is not None and response.request is not None:
            cache.delete(requests=[response.request])

    def _retried_statuses(self) -> tuple[int, ...]:
        return tuple(getattr(self.retry, "status_forcelist", None) or ())

    def _explain(self, exc: requests.RequestException) -> str:
        retries = getattr(self.retry, "total", None)
        after = f" after {retries} {'retry' if retries == 1 else 'retries'}" if retries else ""
        connect, read = self.timeout if isinstance(self.timeout, tuple) else (self.timeout,) * 2
        chain = _causes(exc)
        # NewConnectionError subclasses ConnectTimeoutError in urllib3 2: test it first.
        refused = next((e for e in chain if isinstance(e, NewConnectionError)), None)
        if refused is not None:
            return f"could not connect{after}: {refused}"
        if any(isinstance(e, ConnectTimeoutError) for e in chain) or isinstance(
            exc, requests.ConnectTimeout
        ):
            return f"no connection within {connect} s{after}"
        if any(isinstance(e, ReadTimeoutError) for e in chain) or isinstance(
            exc, requests.ReadTimeout
        ):
            return f"no response within the read timeout of {read} s{after}"
        if isinstance(exc, requests.exceptions.ChunkedEncodingError) or any(
            isinstance(e, ProtocolError) for e in chain
        ):
            return f"connection broke off while reading the response (truncated body): {exc}"
        if isinstance(exc, requests.exceptions.RetryError):
            return f"gave up{after}: {exc}"
        return f"{type(exc).__name__}: {exc}"


def _indicator_id(indicator_id: int) -> int:
    try:
        iid = int(indicator_id)
    except (TypeError, ValueError):
        raise ValueError(f"indicator id must be an integer, got {indicator_id!r}") from None
    if iid <= 0:
        raise ValueError(f"indicator id must be positive, got {iid}")
    return iid


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception, its args that are exceptions, and their causes (requests nests urllib3's)."""
    seen: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo:
        e = todo.pop()
        if any(e is s for s in seen):
            continue
        seen.append(e)
        todo.extend(a for a in getattr(e, "args", ()) if isinstance(a, BaseException))
        for attr in ("reason", "__cause__", "__context__"):
            nxt = getattr(e, attr, None)
            if isinstance(nxt, BaseException):
                todo.append(nxt)
    return seen


def _json_kind(kind: type) -> str:
    return {list: "array", dict: "object", str: "string", int: "number", float: "number"}.get(
        kind, "null" if kind is type(None) else kind.__name__
    )


def _one_line(text: str) -> str:
    """One line, control characters escaped (an error body may hold terminal escapes)."""
    return printable(text)


def _writable_dir(path: Path, what: str) -> None:
    """Create `path` and prove a file can be written there, or stop with one line."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise LocalFileError(f"{what}: cannot write to {path}: "
                             f"{exc.strerror or describe_os_error(exc)}") from None


def _write_atomic(path: Path, body: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(body)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
