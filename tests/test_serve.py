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
