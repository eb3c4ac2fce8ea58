"""Who may write the record: identities, the editors' allow-list, and the one check.

An Identity is resolved from the request by ui.records (never from the URL or a widget):
the local user on a loopback connection that came through no proxy, a user named by an
explicitly trusted proxy header (HYTE_TRUSTED_USER_HEADER), or a user signed in with
Streamlit's st.login (OIDC). Everyone else is anonymous and reads. Every write function of
the store calls `require_editor`, so a page that forgot to hide a button still cannot write.

The allow-list: HYTE_EDITORS (comma-separated) or `editors = [...]` in
$HYTE_CONFIG_DIR/editors.toml (default data/editors.toml); names compare case-insensitively.
The local user needs no entry; HYTE_LOCAL_EDIT=0 turns local editing off.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from dashboard.i18n.catalog import _

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
SOURCES = ("local", "proxy", "oidc", "system", "anonymous")
# Headers a reverse proxy adds: a loopback connection carrying one is not the local user.
PROXY_HEADERS = ("x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-real-ip", "forwarded", "via")
MAX_USER = 200


class NotPermitted(PermissionError):
    """The identity may not write the record; the message says why, for the person."""


@dataclass(frozen=True)
class Identity:
    user: str  # shown in the change log
    source: str  # local | proxy | oidc | system | anonymous

    @property
    def label(self) -> str:
        return f"{self.user} ({self.source})"


ANONYMOUS = Identity("", "anonymous")


def system(user: str) -> Identity:
    """For the command line and the demo seed (code paths no request reaches)."""
    return Identity(user, "system")


def editors() -> frozenset[str]:
    """The allow-list from HYTE_EDITORS or editors.toml (empty when neither exists)."""
    raw = os.environ.get("HYTE_EDITORS")
    if raw is not None:
        return frozenset(e.strip().lower() for e in raw.split(",") if e.strip())
    path = Path(os.environ.get("HYTE_CONFIG_DIR", PROJECT_ROOT / "data")) / "editors.toml"
    if not path.exists():
        return frozenset()
    with path.open("rb") as f:
        doc = tomllib.load(f)
    listed = doc.get("editors", [])
    if not isinstance(listed, list) or not all(isinstance(e, str) for e in listed):
        raise ValueError(f"{path}: 'editors' must be a list of user names or e-mail addresses")
    return frozenset(e.strip().lower() for e in listed if e.strip())


def local_edit_allowed() -> bool:
    return os.environ.get("HYTE_LOCAL_EDIT", "1").strip().lower() not in ("0", "false", "no", "off")


def trusted_header() -> str | None:
    """The proxy header named by HYTE_TRUSTED_USER_HEADER (lower case), or None."""
    name = os.environ.get("HYTE_TRUSTED_USER_HEADER", "").strip().lower()
    return name or None


def resolve(
    *, loopback: bool, headers: dict[str, str], oidc_user: str | None, local_user: str = "local"
) -> Identity:
    """Who is asking, from the request's facts (pure: ui.records gathers them).

    Order: a trusted proxy header (only when configured: otherwise anyone could send it),
    then an OIDC login, then the local user (loopback, no proxy headers, local editing on).
    """
    lowered = {str(k).lower(): str(v) for k, v in (headers or {}).items()}
    header = trusted_header()
    if header:
        user = lowered.get(header, "").strip()
        if user:
            return Identity(user[:MAX_USER], "proxy")
    if oidc_user and oidc_user.strip():
        return Identity(oidc_user.strip()[:MAX_USER], "oidc")
    proxied = header is not None or any(h in lowered for h in PROXY_HEADERS)
    if loopback and not proxied and local_edit_allowed():
        return Identity(local_user[:MAX_USER], "local")
    return ANONYMOUS


def may_edit(identity: Identity | None) -> bool:
    if identity is None or identity.source == "anonymous" or not identity.user:
        return False
    if identity.source in ("local", "system"):
        return identity.source == "system" or local_edit_allowed()
    return identity.user.strip().lower() in editors()


def require_editor(identity: Identity | None) -> Identity:
    """The identity when it may write; NotPermitted otherwise (every write calls this)."""
    if may_edit(identity):
        return identity
    if identity is None or identity.source == "anonymous":
        raise NotPermitted(_("Kirjauksen muokkaus vaatii kirjautumisen: olet lukutilassa."))
    raise NotPermitted(
        _("Käyttäjä {user} ei ole muokkaajien listalla: olet lukutilassa.", user=identity.user)
    )
