"""The README's nginx block, run for real in front of `hyte serve`: it compresses and caches
Streamlit's static files and the room site, adds the security headers, passes the websocket.

The block is read from the README (the text users copy), with only what a test cannot have
swapped out: the public name for 127.0.0.1, the app's port, a cache folder, no login
(auth_request needs an SSO) and no TLS default server. Skipped with the reason when Debian's
nginx is not installed.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request

import pytest

from dashboard.reports import room_site
from tests.browser_support import AppServer, copy_warehouse, free_port
from tests.warehouse_fixtures import ROOT

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def readme_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```nginx\n(.*?)```", text, re.S)
    assert len(blocks) == 1, "the README ships one nginx block"
    return blocks[0]


def test_the_shipped_block_compresses_caches_and_keeps_the_headers():
    block = readme_block()
    for needed in ("gzip on;", "gzip_proxied any;", "application/javascript", "text/css",
                   "image/svg+xml", "proxy_cache_path", "location /hyte/static/",
                   "location /hyte/app/static/room/", "proxy_cache_lock on;",
                   "proxy_set_header Upgrade $http_upgrade;"):
        assert needed in block, needed
    # nginx drops the server's add_header lines in a location with its own: each caching
    # location repeats the ones that matter.
    for location in re.findall(r"location /hyte/(?:static|app/static/room)/ \{(.*?)\n    \}",
                               block, re.S):
        assert "X-Content-Type-Options nosniff" in location
        assert "Strict-Transport-Security" in location
    # The websocket location is never cached.
    app_location = re.search(r"location /hyte/ \{(.*?)\n    \}", block, re.S).group(1)
    assert "proxy_cache" not in app_location


def _http(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as r:
        return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()


@pytest.fixture(scope="module")
def proxied(demo_warehouse, tmp_path_factory):
    if not os.path.exists(NGINX):
        pytest.skip("the proxy test needs Debian's nginx (apt-get install nginx-light)")
    folder = tmp_path_factory.mktemp("proxy")
    if not (room_site.STATIC / room_site.LINK / "jamsa-keuruu.html").exists():
        room_site.build(demo_warehouse, room_site.STATIC)
    old = os.environ.get("STREAMLIT_SERVER_BASE_URL_PATH")
    os.environ["STREAMLIT_SERVER_BASE_URL_PATH"] = "hyte"
    try:
        app = AppServer(copy_warehouse(demo_warehouse, folder / "wh"))
        app.url += "/hyte"  # its health check lives under the base path too
        app.start(timeout=120)
    finally:
        if old is None:
            os.environ.pop("STREAMLIT_SERVER_BASE_URL_PATH")
        else:
            os.environ["STREAMLIT_SERVER_BASE_URL_PATH"] = old
    port = free_port()
    block = readme_block()
    block = block.replace("hyte.example.fi", "127.0.0.1")
    block = block.replace("127.0.0.1:8501", f"127.0.0.1:{app.port}")
    block = block.replace("/var/cache/nginx/hyte", str(folder / "cache"))
    block = re.sub(r"\n\s*auth_request [^\n]*", "", block)
    block = re.sub(r"\n# Requests for any other Host.*", "\n", block, flags=re.S)
    block = block.replace("server {\n", f"server {{\n    listen 127.0.0.1:{port};\n", 1)
    for sub in ("tmp", "cache"):
        (folder / sub).mkdir()
    conf = folder / "nginx.conf"
    conf.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        "events { worker_connections 256; }\nhttp {\n  access_log off;\n"
        f"  client_body_temp_path {folder}/tmp/body;\n  proxy_temp_path {folder}/tmp/proxy;\n"
        f"  fastcgi_temp_path {folder}/tmp/f;\n  uwsgi_temp_path {folder}/tmp/u;\n"
        f"  scgi_temp_path {folder}/tmp/s;\n" + block + "\n}\n")
    proc = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(conf)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read().decode() if proc.poll() is not None else ""
                app.stop()
                raise RuntimeError(f"nginx did not start: {out}"
                                   f"{(folder / 'error.log').read_text()[-1500:]}") from None
            time.sleep(0.2)
    yield url, app
    proc.terminate()
    proc.wait(timeout=10)
    app.stop()


def test_streamlits_assets_are_compressed_and_cached(proxied):
    url, _app = proxied
    _, headers, index = _http(url + "/hyte/")
    assert headers.get("x-frame-options") == "DENY"
    asset = re.search(rb'src="\.?/?((?:hyte/)?static/js/[^"]+\.js)"', index)
    assert asset, index[:500]
    path = "/hyte/" + asset.group(1).decode().removeprefix("hyte/")
    first = _http(url + path, {"Accept-Encoding": "gzip"})
    second = _http(url + path, {"Accept-Encoding": "gzip"})
    for _status, h, _body in (first, second):
        assert h.get("content-encoding") == "gzip"
        assert h.get("x-content-type-options") == "nosniff"
    assert first[1]["x-cache-status"] in ("MISS", "HIT") and second[1]["x-cache-status"] == "HIT"
    raw = gzip.decompress(second[2])
    assert len(second[2]) < len(raw) / 2


def test_the_room_page_is_compressed_and_cached(proxied):
    url, _app = proxied
    page = url + "/hyte/app/static/room/jamsa-keuruu.html"
    first = _http(page, {"Accept-Encoding": "gzip"})
    second = _http(page, {"Accept-Encoding": "gzip"})
    assert second[1].get("content-encoding") == "gzip" and second[1]["x-cache-status"] == "HIT"
    html = gzip.decompress(second[2]).decode("utf-8")
    assert "Jämsä, Keuruu" in html and len(second[2]) * 4 < len(html.encode())
    assert first[1].get("x-frame-options") == "DENY"


def test_the_websocket_passes_through(proxied):
    url, _app = proxied
    port = int(url.rsplit(":", 1)[1])
    request = ("GET /hyte/_stcore/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
               "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: streamlit\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request.encode())
        status = s.recv(200).split(b"\r\n", 1)[0]
    assert b" 101 " in status, status
