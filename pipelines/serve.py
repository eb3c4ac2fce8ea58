"""Start the Streamlit app with streamlit_config.toml applied (Streamlit does not read it).

The launcher checks its arguments, then *becomes* the Streamlit server (`os.execv` of
`python -m pipelines.streamlit_main run dashboard/app.py <flags>`, Streamlit's own CLI with
the guards described there): one process, so SIGTERM or Ctrl-C reaches the server itself,
the port is freed when it stops, and the exit status is the server's. (A launcher that
waited on a child used to exit on SIGTERM and leave the child serving.)
"""

from __future__ import annotations

import errno
import ipaddress
import os
import re
import socket
import sys
import tomllib
from pathlib import Path

from pipelines.config import PROJECT_ROOT

CONFIG_FILE = PROJECT_ROOT / "streamlit_config.toml"
APP = PROJECT_ROOT / "dashboard" / "app.py"
LOOPBACK = "127.0.0.1"


class ServeError(RuntimeError):
    """The server cannot start as asked; the message is one line naming the argument."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


def env_var(key: str) -> str:
    """Streamlit's environment variable for a config key (server.allowedHosts ->
    STREAMLIT_SERVER_ALLOWED_HOSTS)."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", key.replace(".", "_"))  # as Streamlit's
    return "STREAMLIT_" + re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).upper()


def config_flags(path: Path = CONFIG_FILE, overrides: dict[str, object] | None = None,
                 environ: dict[str, str] | None = None) -> list[str]:
    """Turn `[section] key = value` into `--section.key=value` flags.

    Flags beat every other source in Streamlit, so a key whose STREAMLIT_* environment
    variable is set is left out: the operator's environment overrides the file. Explicit
    `overrides` (the command's own arguments) always become flags.
    """
    environ = os.environ if environ is None else environ
    with open(path, "rb") as fh:
        doc = tomllib.load(fh)
    flat = {f"{section}.{key}": value
            for section, table in doc.items() for key, value in table.items()}
    flat = {k: v for k, v in flat.items() if env_var(k) not in environ}
    flat.update(overrides or {})
    flags = []
    for key, value in flat.items():
        values = value if isinstance(value, list) else [value]
        flags += [f"--{key}={_flag_value(v)}" for v in values]
    return flags


def _flag_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def file_config(path: Path = CONFIG_FILE) -> dict[str, object]:
    with open(path, "rb") as fh:
        doc = tomllib.load(fh)
    return {f"{section}.{key}": value
            for section, table in doc.items() for key, value in table.items()}


def command(port: int | None = None, address: str | None = None,
            allowed_hosts: list[str] | tuple[str, ...] = ()) -> list[str]:
    overrides: dict[str, object] = {}
    if port is not None:
        overrides["server.port"] = port
    if address is not None:
        overrides["server.address"] = address
    hosts = list(allowed_hosts)
    if address is not None and not _wildcard(address):
        hosts.append(address)  # the address it is reached at, when it is one address
    if hosts and env_var("server.allowedHosts") not in os.environ:
        base = file_config().get("server.allowedHosts", [])
        base = list(base) if isinstance(base, list) else [base]
        overrides["server.allowedHosts"] = list(dict.fromkeys([*base, *hosts]))
    return [sys.executable, "-m", "pipelines.streamlit_main", "run", str(APP),
            *config_flags(overrides=overrides)]


def _wildcard(address: str) -> bool:
    return address in ("", "0.0.0.0", "::", "[::]")


def effective_address(address: str | None) -> str:
    if address is not None:
        return address
    return os.environ.get(env_var("server.address")) or str(
        file_config().get("server.address", LOOPBACK))


def effective_port(port: int | None) -> int:
    if port is not None:
        return port
    raw = os.environ.get(env_var("server.port")) or file_config().get("server.port", 8501)
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ServeError(f"{env_var('server.port')}={raw!r} is not a port number", 2) from None


def check_bind(address: str, port: int) -> None:
    """Resolve the address and try the port once, so a bad argument is one line, not
    Streamlit's traceback. (Streamlit binds again right after; nothing listens here.)"""
    host = address.strip("[]")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ServeError(f"--address {address!r}: cannot be resolved ({exc.strerror})", 2) \
            from None
    except (UnicodeError, ValueError) as exc:
        raise ServeError(f"--address {address!r}: not a host name ({exc})", 2) from None
    family, _type, _proto, _name, sockaddr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(sockaddr)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ServeError(f"--port {port}: already in use on {address}") from None
            if exc.errno == errno.EADDRNOTAVAIL:
                raise ServeError(f"--address {address!r}: not an address of this machine",
                                 2) from None
            if exc.errno == errno.EACCES:
                raise ServeError(f"--port {port}: not allowed for this user "
                                 "(ports below 1024 need privileges)") from None
            raise ServeError(f"--address {address!r} --port {port}: cannot listen: "
                             f"{exc.strerror}") from None


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return address == "localhost"


def serve(port: int | None = None, address: str | None = None,
          allowed_hosts: list[str] | tuple[str, ...] = (), *, exec_=os.execv) -> int:
    """Check the arguments, then replace this process with the Streamlit server."""
    check_bind(effective_address(address), effective_port(port))
    cmd = command(port, address, allowed_hosts)
    # Run from the project root so relative HYTE_WAREHOUSE paths mean the same as in the CLI.
    os.chdir(PROJECT_ROOT)
    sys.stdout.flush()
    sys.stderr.flush()
    exec_(cmd[0], cmd)
    return 0  # only reached when exec_ is a test double
