"""Who may edit the record: the identity from the request's facts, and the allow-list."""

from __future__ import annotations

import pytest

from dashboard.records import access
from dashboard.records.access import Identity


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for k in ("HYTE_TRUSTED_USER_HEADER", "HYTE_EDITORS", "HYTE_LOCAL_EDIT"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("HYTE_CONFIG_DIR", str(tmp_path))


@pytest.mark.parametrize(
    "loopback, headers, oidc, env, expected",
    [
        # make run: the local user on a loopback connection edits
        (True, {}, None, {}, Identity("me", "local")),
        # a loopback connection that came through a proxy is not the local user
        (True, {"X-Forwarded-For": "10.0.0.5"}, None, {}, access.ANONYMOUS),
        (True, {"X-Forwarded-Proto": "https"}, None, {}, access.ANONYMOUS),
        # another machine on the network: read only
        (False, {}, None, {}, access.ANONYMOUS),
        # local editing switched off
        (True, {}, None, {"HYTE_LOCAL_EDIT": "0"}, access.ANONYMOUS),
        # a proxy header counts only when configured (anyone could send it)
        (False, {"X-Forwarded-User": "mallory@example.fi"}, None, {}, access.ANONYMOUS),
        (
            False,
            {"X-Forwarded-User": "anna@example.fi"},
            None,
            {"HYTE_TRUSTED_USER_HEADER": "X-Forwarded-User"},
            Identity("anna@example.fi", "proxy"),
        ),
        # header configured but absent: not the local user either, even on loopback
        (True, {}, None, {"HYTE_TRUSTED_USER_HEADER": "X-Forwarded-User"}, access.ANONYMOUS),
        # st.login (OIDC)
        (False, {}, "anna@example.fi", {}, Identity("anna@example.fi", "oidc")),
    ],
)
def test_resolve(monkeypatch, loopback, headers, oidc, env, expected):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert access.resolve(loopback=loopback, headers=headers, oidc_user=oidc, local_user="me") == expected


def test_the_allow_list_from_the_environment_or_editors_toml(monkeypatch, tmp_path):
    anna = Identity("Anna@Example.fi", "oidc")
    assert not access.may_edit(anna)  # no list: nobody signed in edits
    (tmp_path / "editors.toml").write_text('editors = ["anna@example.fi", "bertil@example.fi"]\n')
    assert access.may_edit(anna) and access.may_edit(Identity("bertil@example.fi", "proxy"))
    assert not access.may_edit(Identity("mallory@example.fi", "proxy"))
    monkeypatch.setenv("HYTE_EDITORS", "mallory@example.fi")  # the environment wins
    assert not access.may_edit(anna) and access.may_edit(Identity("mallory@example.fi", "proxy"))


def test_a_broken_editors_file_names_itself(tmp_path):
    (tmp_path / "editors.toml").write_text('editors = "anna@example.fi"\n')
    with pytest.raises(ValueError, match="editors.toml"):
        access.editors()


def test_require_editor_says_why(monkeypatch):
    with pytest.raises(access.NotPermitted, match="kirjautumisen"):
        access.require_editor(access.ANONYMOUS)
    with pytest.raises(access.NotPermitted, match="mallory"):
        access.require_editor(Identity("mallory@example.fi", "oidc"))
    assert access.require_editor(Identity("me", "local")).user == "me"
    monkeypatch.setenv("HYTE_LOCAL_EDIT", "off")
    with pytest.raises(access.NotPermitted):
        access.require_editor(Identity("me", "local"))
    assert access.may_edit(access.system("cli"))
