"""Start the Streamlit app with streamlit_config.toml applied (Streamlit does not read it)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from pipelines.config import PROJECT_ROOT

CONFIG_FILE = PROJECT_ROOT / "streamlit_config.toml"
APP = PROJECT_ROOT / "dashboard" / "app.py"


def config_flags(path: Path = CONFIG_FILE, overrides: dict[str, object] | None = None) -> list[str]:
    """Turn `[section] key = value` into `--section.key=value` flags (flags beat every file)."""
    with open(path, "rb") as fh:
        doc = tomllib.load(fh)
    flat = {f"{section}.{key}": value
            for section, table in doc.items() for key, value in table.items()}
    flat.update(overrides or {})
    return [f"--{key}={_flag_value(value)}" for key, value in flat.items()]


def _flag_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def command(port: int | None = None, address: str | None = None) -> list[str]:
    overrides: dict[str, object] = {}
    if port is not None:
        overrides["server.port"] = port
    if address is not None:
        overrides["server.address"] = address
    return [sys.executable, "-m", "streamlit", "run", str(APP), *config_flags(overrides=overrides)]


def serve(port: int | None = None, address: str | None = None) -> int:
    env = dict(os.environ)
    # Run from the project root so relative HYTE_WAREHOUSE paths mean the same as in the CLI.
    proc = subprocess.Popen(command(port, address), cwd=PROJECT_ROOT, env=env)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        return proc.wait()
