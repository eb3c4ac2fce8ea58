"""`hyte serve` applies streamlit_config.toml itself, with XSRF protection kept on."""

import tomllib

from pipelines import serve
from tests.warehouse_fixtures import ROOT


def test_config_file_becomes_flags():
    flags = serve.config_flags()
    with open(ROOT / "streamlit_config.toml", "rb") as fh:
        doc = tomllib.load(fh)
    for section, table in doc.items():
        for key in table:
            assert any(f.startswith(f"--{section}.{key}=") for f in flags), (section, key)


def test_xsrf_protection_stays_on():
    assert "--server.enableXsrfProtection=true" in serve.config_flags()
    assert "--server.enableCORS=true" in serve.config_flags()


def test_port_and_address_override_the_file():
    cmd = serve.command(port=9123, address="127.0.0.1")
    assert cmd[-2:] != ["--server.port=8501"]
    assert "--server.port=9123" in cmd and "--server.address=127.0.0.1" in cmd
    assert cmd.count("--server.port=9123") == 1 and "--server.port=8501" not in cmd


def test_default_bind_is_loopback():
    cmd = serve.command()
    assert "--server.address=127.0.0.1" in cmd
    assert not [f for f in cmd if f.startswith("--server.address=") and f != "--server.address=127.0.0.1"]


def test_websockets_only_for_known_hosts():
    cmd = serve.command()
    hosts = [f.split("=", 1)[1] for f in cmd if f.startswith("--server.allowedHosts=")]
    assert hosts == ["localhost", "127.0.0.1", "::1"]
    cmd = serve.command(address="192.168.1.20", allowed_hosts=["hyte.example.fi"])
    hosts = [f.split("=", 1)[1] for f in cmd if f.startswith("--server.allowedHosts=")]
    assert hosts == ["localhost", "127.0.0.1", "::1", "hyte.example.fi", "192.168.1.20"]
    cmd = serve.command(address="0.0.0.0")  # a wildcard is not a name anyone types
    assert "--server.allowedHosts=0.0.0.0" not in cmd


def test_an_environment_variable_overrides_the_file(monkeypatch):
    monkeypatch.setenv("STREAMLIT_SERVER_MAX_UPLOAD_SIZE", "5")
    flags = serve.config_flags()
    assert not [f for f in flags if f.startswith("--server.maxUploadSize=")]
    assert "--server.enableXsrfProtection=true" in flags


def test_visitor_facing_surfaces_are_off():
    flags = serve.config_flags()
    for flag in ("--server.enableAgentApi=false",
                 "--client.toolbarMode=minimal", "--client.showErrorDetails=type",
                 "--runner.fastReruns=false",
                 "--client.allowedOrigins=https://embedding-not-allowed.invalid"):
        assert flag in flags


def test_the_room_site_and_websocket_compression_are_on():
    # Static serving serves dashboard/static/ only: the room site (tests/test_room_site.py).
    flags = serve.config_flags()
    assert "--server.enableStaticServing=true" in flags
    assert "--server.enableWebsocketCompression=true" in flags


def test_the_launcher_execs_streamlit_after_checking_its_arguments(tmp_path, monkeypatch):
    calls = []
    port = 0
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.chdir(tmp_path)
    serve.serve(port, "127.0.0.1", exec_=lambda path, argv: calls.append((path, argv)))
    ((path, argv),) = calls
    assert argv[:4] == [path, "-m", "pipelines.streamlit_main", "run"]
    assert f"--server.port={port}" in argv
