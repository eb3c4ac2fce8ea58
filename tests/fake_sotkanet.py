"""A local fake of the Sotkanet REST API serving a recorded directory, with scripted faults.

Serves the save_dir layout (regions.json, indicators.json, indicators/{id}.json,
data/{id}.json) at /regions, /indicators, /indicators/{id} and /json?indicator=..&years=..
&genders=.. (rows filtered by years and genders). Like the real service it answers 403 to a
missing or library-default User-Agent. Faults are scripted per path prefix and used up in
order. Command line: `python -m tests.fake_sotkanet DIR --port N`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FORBIDDEN_AGENTS = ("python-requests/", "python-urllib/", "python-urllib3/")  # library defaults
FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures" / "sotkanet"
GENDERS = ("total", "male", "female")


@dataclass(frozen=True)
class Fault:
    """One scripted misbehaviour.

    kind: "status" (answer `status`, with Retry-After when retry_after is set),
    "slow" (sleep `delay` seconds, then answer normally), "truncated" (a 200 whose JSON body
    is cut in half, Content-Length matching), "cut" (Content-Length of the whole body, half
    of it sent, then the connection closes), "garbage" (a 200 with an HTML body),
    "disconnect" (close without answering).
    """

    kind: str
    status: int = 500
    retry_after: str | None = None
    delay: float = 1.0
    body: bytes | None = None  # with kind "status": the raw error body to send

    @classmethod
    def parse(cls, spec: str | Fault) -> Fault:
        if isinstance(spec, Fault):
            return spec
        if spec.isdigit():
            code = int(spec)
            return cls("status", status=code, retry_after="1" if code in (429, 503) else None)
        if spec in ("slow", "truncated", "cut", "garbage", "disconnect"):
            return cls(spec)
        raise ValueError(f"unknown fault {spec!r}")


@dataclass
class LoggedRequest:
    """Logged when the request arrives; status and fault are filled in before the answer."""

    path: str  # path with query string, base prefix removed
    user_agent: str | None
    headers: dict
    status: int | None = None  # None while sleeping, or when dropped without an answer
    fault: str | None = None


@dataclass
class FakeSotkanet:
    directory: Path
    host: str = "127.0.0.1"
    port: int = 0
    requests: list[LoggedRequest] = field(default_factory=list)
    latency: float = 0.0  # seconds every answer waits (makes parallel requests overlap)
    in_flight: int = 0  # requests being answered now
    max_in_flight: int = 0  # the most answered at once since start or clear()

    def __post_init__(self) -> None:
        self.directory = Path(self.directory)
        self._faults: list[tuple[str, deque[Fault]]] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- control ----------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def script(self, path_prefix: str, fault: str | Fault, times: int = 1) -> None:
        """Answer the next `times` requests whose path starts with path_prefix with `fault`.

        path_prefix is matched against path + query, e.g. "/regions", "/indicators/4",
        "/json?indicator=127". Faults for one prefix are used in the order scripted.
        """
        parsed = Fault.parse(fault)
        with self._lock:
            for prefix, queue in self._faults:
                if prefix == path_prefix:
                    queue.extend([parsed] * times)
                    return
            self._faults.append((path_prefix, deque([parsed] * times)))

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self.requests.clear()
            self.max_in_flight = 0

    def data_requests(self) -> list[LoggedRequest]:
        """The /json (observation data) requests logged so far."""
        return self.requests_to("/json?")

    def _enter(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def requests_to(self, path_prefix: str) -> list[LoggedRequest]:
        return [r for r in self.requests if r.path.startswith(path_prefix)]

    def start(self) -> FakeSotkanet:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer((self.host, self.port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # quick shutdown between tests
            name="fake-sotkanet",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeSotkanet:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- used by the handler ----------------------------------------------------------

    def _next_fault(self, path: str) -> Fault | None:
        with self._lock:
            for prefix, queue in self._faults:
                if path.startswith(prefix) and queue:
                    return queue.popleft()
        return None

    def _log(self, entry: LoggedRequest) -> None:
        with self._lock:
            self.requests.append(entry)

    def _answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, object]:
        """(status, JSON-able body) for a request, from the directory."""
        parts = [p for p in path.split("/") if p]
        if parts == ["regions"]:
            return self._file("regions.json")
        if parts == ["indicators"]:
            return self._file("indicators.json")
        if len(parts) == 2 and parts[0] == "indicators" and parts[1].isdigit():
            return self._file(f"indicators/{int(parts[1])}.json")
        if parts == ["json"]:
            return self._data(query)
        return 404, {"error": f"no such resource: {path}"}

    def _file(self, relative: str) -> tuple[int, object]:
        path = self.directory / relative
        if not path.is_file():
            return 404, {"error": f"not found: {relative}"}
        return 200, json.loads(path.read_text(encoding="utf-8"))

    def _data(self, query: dict[str, list[str]]) -> tuple[int, object]:
        ids = query.get("indicator", [])
        if len(ids) != 1 or not ids[0].isdigit():
            return 400, {"error": "exactly one numeric 'indicator' parameter is required"}
        try:
            years = {int(y) for y in query.get("years", [])}
        except ValueError:
            return 400, {"error": "'years' must be integers"}
        if not years:
            return 400, {"error": "at least one 'years' parameter is required"}
        genders = set(query.get("genders", GENDERS))
        if genders - set(GENDERS):
            return 400, {"error": f"unknown gender {sorted(genders - set(GENDERS))}"}
        iid = int(ids[0])
        data_file = self.directory / "data" / f"{iid}.json"
        if not data_file.is_file():
            if (self.directory / "indicators" / f"{iid}.json").is_file():
                return 200, []
            return 404, {"error": f"no such indicator: {iid}"}
        rows = json.loads(data_file.read_text(encoding="utf-8"))

        def wanted(row: dict) -> bool:
            try:
                return int(row.get("year")) in years and row.get("gender") in genders
            except (TypeError, ValueError):
                return True  # malformed rows pass through, as a broken service would send them

        return 200, [row for row in rows if not isinstance(row, dict) or wanted(row)]


class _Handler(BaseHTTPRequestHandler):
    fake: FakeSotkanet
    server_version = "FakeSotkanet/1.0"
    protocol_version = "HTTP/1.0"  # one request per connection keeps faults simple

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # the request log replaces stderr noise

    def do_GET(self) -> None:  # noqa: N802
        split = urlsplit(self.path)
        path = split.path
        if path.startswith("/rest/1.1"):
            path = path[len("/rest/1.1") :] or "/"
        full = path + (f"?{split.query}" if split.query else "")
        agent = self.headers.get("User-Agent")
        # Log on arrival, so a test that got its answer always sees the request logged.
        entry = LoggedRequest(full, agent, dict(self.headers.items()))
        self.fake._log(entry)
        self.fake._enter()
        self._counted = True
        try:
            if self.fake.latency:
                time.sleep(self.fake.latency)
            self._respond(entry, path, split.query)
        except (BrokenPipeError, ConnectionResetError):
            entry.status = None  # the client gave up (timeout); nothing to answer
        finally:
            self._done()

    def _done(self) -> None:
        """Leave the in-flight count once, before the answer's bytes go out (a client that
        has its answer may send its next request before this thread finishes)."""
        if getattr(self, "_counted", False):
            self._counted = False
            self.fake._leave()

    def send_response(self, code: int, message: str | None = None) -> None:
        self._done()
        super().send_response(code, message)

    def _respond(self, entry: LoggedRequest, path: str, query: str) -> None:
        agent = entry.user_agent
        if not agent or agent.lower().startswith(FORBIDDEN_AGENTS):
            entry.status = 403
            self._send_json(403, {"error": "Forbidden: send a descriptive User-Agent"})
            return
        fault = self.fake._next_fault(entry.path)
        if fault is not None:
            entry.fault = fault.kind if fault.kind != "status" else str(fault.status)
            if fault.kind == "status":
                entry.status = fault.status
                extra = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                if fault.body is not None:
                    self._send_bytes(fault.status, fault.body, extra)
                else:
                    self._send_json(fault.status, {"error": "scripted fault"}, extra)
                return
            if fault.kind == "disconnect":
                self.close_connection = True
                return
            if fault.kind == "slow":
                time.sleep(fault.delay)
        status, body = self.fake._answer(path, parse_qs(query))
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        kind = fault.kind if fault is not None else None
        if kind == "truncated":
            entry.status = 200
            self._send_bytes(200, payload[: len(payload) // 2])
            return
        if kind == "garbage":
            entry.status = 200
            self._send_bytes(200, b"<html><body>Service maintenance</body></html>")
            return
        if kind == "cut":
            entry.status = 200
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        etag = '"' + hashlib.sha1(payload).hexdigest()[:16] + '"'
        if status == 200 and self.headers.get("If-None-Match") == etag:
            entry.status = 304
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        entry.status = status
        self._send_bytes(status, payload, {"ETag": etag} if status == 200 else None)

    def _send_json(self, status: int, body: object, extra: dict | None = None) -> None:
        self._send_bytes(status, json.dumps(body).encode("utf-8"), extra)

    def _send_bytes(self, status: int, payload: bytes, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(payload)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="recorded directory (save_dir layout)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    if not (args.directory / "regions.json").is_file():
        parser.error(f"{args.directory}: no regions.json; expected the save_dir layout")
    fake = FakeSotkanet(args.directory, host=args.host, port=args.port).start()
    print(f"Fake Sotkanet serving {args.directory} at {fake.url}  (Ctrl-C stops)", flush=True)
    print(f"  SOTKANET_BASE_URL={fake.url} hyte ingest --source sotkanet", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
