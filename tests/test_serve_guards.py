"""`hyte serve` as a running process: stops on SIGTERM, binds loopback, and what it exposes.

Loopback only; every loop is bounded in count and time. What the app sends and refuses is
written down in README ("Exposure: what the server sends and refuses"); these tests hold
it there.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from pipelines.streamlit_main import FairSlots
from tests.browser_support import ROOT, AppServer, copy_warehouse, free_port


@pytest.fixture(scope="module")
def app(demo_warehouse, tmp_path_factory):
    server = AppServer(copy_warehouse(demo_warehouse, tmp_path_factory.mktemp("guards"))).start()
    yield server
    server.stop()


def http_get(url: str, headers: dict | None = None, timeout: float = 10):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, {k.lower(): v for k, v in response.headers.items()}, \
            response.read()


def ws_handshake(port: int, host: str, origin: str | None = None) -> int:
    """The HTTP status a websocket upgrade of /_stcore/stream gets (101 = accepted)."""
    lines = ["GET /_stcore/stream HTTP/1.1", f"Host: {host}", "Upgrade: websocket",
             "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
             "Sec-WebSocket-Version: 13", "Sec-WebSocket-Protocol: streamlit"]
    if origin:
        lines.append(f"Origin: {origin}")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        status = s.recv(1024).split(b"\r\n", 1)[0].decode()
    return int(status.split()[1])


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a LISTEN socket on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for name in ("tcp", "tcp6"):
        try:
            rows = Path(f"/proc/net/{name}").read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            addr, hexport = local.rsplit(":", 1)
            if int(hexport, 16) == port and state == "0A":
                if name == "tcp":
                    found.add(socket.inet_ntoa(bytes.fromhex(addr)[::-1]))
                else:
                    found.add(addr)
    return found


def port_is_free(port: int) -> bool:
    """Nothing listens on it (SO_REUSEADDR: closed connections in TIME_WAIT do not count)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


# -- 17.1 / 17.7: SIGTERM stops the server; the default bind is loopback -----------------

def test_sigterm_stops_the_server_frees_the_port_and_it_listened_on_loopback_only(
        demo_warehouse, tmp_path):
    live = copy_warehouse(demo_warehouse, tmp_path)
    port = free_port()
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115 - closed below
    # No --address: the default must be this machine only.
    proc = subprocess.Popen([sys.executable, "-m", "pipelines", "serve", "--port", str(port)],
                            cwd=ROOT, env={**os.environ, "HYTE_WAREHOUSE": str(live)},
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if http_get(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("server did not start: " + (tmp_path / "serve.log").read_text()[-2000:])
        assert listening_addresses(port) == {"127.0.0.1"}
        proc.send_signal(signal.SIGTERM)  # to the pid `hyte serve` started as, as systemd does
        code = proc.wait(timeout=20)
        deadline = time.monotonic() + 10
        while not port_is_free(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert port_is_free(port), "something still listens after SIGTERM"
        assert listening_addresses(port) == set()
        assert code == 0
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # whatever the old launcher left behind
        except ProcessLookupError:
            pass
        proc.wait()
        log.close()


# -- 18.7: a flood of reruns does not make the server unreachable ------------------------

def test_health_answers_within_2s_while_20_websocket_clients_hammer_reruns(app):
    port = app.port
    hammer = subprocess.Popen([sys.executable, "-m", "tests.ws_hammer", str(port), "--clients",
                               "20", "--seconds", "12", "--interval", "0.05"],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(1.5)  # let the clients connect and start
        latencies = []
        stop_at = time.monotonic() + 9
        while time.monotonic() < stop_at:
            started = time.monotonic()
            try:
                status = http_get(f"{app.url}/_stcore/health", timeout=5)[0]
            except OSError:
                status = None
            latencies.append((status, time.monotonic() - started))
            time.sleep(0.3)
        out, _ = hammer.communicate(timeout=60)
    finally:
        if hammer.poll() is None:
            hammer.kill()
            hammer.wait()
    tally = json.loads(out)
    assert tally["errors"] == [] and tally["sent"] > 1000, tally  # the flood really happened
    assert all(status == 200 for status, _ in latencies), latencies
    assert max(t for _, t in latencies) < 2.0, latencies
    # ... and afterwards a page still loads.
    assert http_get(f"{app.url}/_stcore/health", timeout=5)[0] == 200


def test_fair_slots_hand_over_in_arrival_order():
    gate = FairSlots(1)
    order = []
    gate.acquire()
    threads = []
    for i in range(5):
        t = threading.Thread(target=lambda i=i: (gate.acquire(), order.append(i), gate.release()))
        t.start()
        while gate.waiting < i + 1:
            time.sleep(0.001)
        threads.append(t)
    gate.release()
    for t in threads:
        t.join(5)
    assert order == [0, 1, 2, 3, 4]


# -- 18.7: DNS rebinding, foreign origins, the shared cache, metrics ----------------------

@pytest.mark.parametrize(("host", "origin", "accepted"), [
    ("127.0.0.1:{port}", None, True),
    ("localhost:{port}", "http://localhost:{port}", True),
    ("127.0.0.1:{port}", "http://127.0.0.1:{port}", True),
    # DNS rebinding: evil.example resolves to 127.0.0.1; Origin and Host agree, Host is foreign.
    ("evil.example:{port}", "http://evil.example:{port}", False),
    ("evil.example:{port}", None, False),
    # Cross-site websocket hijacking: a foreign page in the visitor's browser.
    ("127.0.0.1:{port}", "http://evil.example", False),
])
def test_websocket_only_for_allowed_hosts_and_same_origin(app, host, origin, accepted):
    status = ws_handshake(app.port, host.format(port=app.port),
                          origin.format(port=app.port) if origin else None)
    assert (status == 101) == accepted, status


def test_clear_cache_from_a_browser_is_ignored(app):
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from websockets.sync.client import connect

    msg = BackMsg()
    msg.clear_cache = True
    with connect(f"ws://127.0.0.1:{app.port}/_stcore/stream", subprotocols=["streamlit"],
                 open_timeout=20) as ws:
        ws.send(msg.SerializeToString())
        time.sleep(1.0)
    deadline = time.monotonic() + 10
    while "ignored a clear_cache request" not in app.log.read_text(errors="replace"):
        assert time.monotonic() < deadline, app.log.read_text(errors="replace")[-2000:]
        time.sleep(0.2)


def test_metrics_endpoint_is_not_served(app):
    try:
        status, _headers, body = http_get(f"{app.url}/_stcore/metrics")
    except urllib.error.HTTPError as exc:
        status, body = exc.code, b""
    assert b"session_events" not in body and b"# TYPE" not in body, (status, body[:200])


# -- 17.7: the headers, written down -------------------------------------------------------

SECURITY_HEADERS = ("content-security-policy", "x-frame-options", "x-content-type-options",
                    "referrer-policy", "strict-transport-security", "permissions-policy",
                    "cross-origin-opener-policy")


def test_what_the_app_sends(app):
    foreign = {"Origin": "http://evil.example"}
    status, page, body = http_get(app.url + "/", foreign)
    assert status == 200 and b"<!doctype html>" in body.lower()
    _, health, _ = http_get(app.url + "/_stcore/health", foreign)
    _, host_config, config_body = http_get(app.url + "/_stcore/host-config", foreign)
    for headers in (page, health, host_config):
        # No CORS grant for a foreign origin, no version in Server.
        assert "access-control-allow-origin" not in headers, headers
        assert headers.get("server") == "uvicorn"
        # Streamlit sets none of these: the reverse proxy adds them (README's nginx block).
        assert not [h for h in SECURITY_HEADERS if h in headers], headers
    assert page["cache-control"] == "no-cache"
    # The XSRF cookie: SameSite=Lax, not HttpOnly (the page reads it into the websocket).
    cookie = health["set-cookie"]
    assert cookie.startswith("_streamlit_xsrf=") and "SameSite=Lax" in cookie
    # No origin may drive the app from an iframe (Streamlit's default trusts its cloud).
    assert json.loads(config_body)["allowedOrigins"] == ["https://embedding-not-allowed.invalid"]


def test_agent_api_is_off_and_static_files_are_only_the_room_site(app):
    _, _, body = http_get(app.url + "/_stcore/agent/openapi.json")
    assert b"switched off" in body
    # Static serving is on for dashboard/static/ (the room site); nothing else is reachable.
    for path in ("/app/static/warehouse.duckdb", "/app/static/../app.py",
                 "/app/static/%2e%2e/app.py", "/app/static/../../data/warehouse.duckdb"):
        try:
            _, _, body = http_get(app.url + path)
        except urllib.error.HTTPError as exc:
            assert exc.code in (400, 404), path
            continue
        assert b"DUCK" not in body[:64] and b"st.navigation" not in body, path
