"""accounts.json: what survives a restart, what a damaged file costs, and that no secret can get in."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import stat
from pathlib import Path

import pytest

from mxsettings.store.accounts import (
    CONFIG_DIR_ENV,
    AccountRecord,
    AccountRecords,
    LoginMethod,
    default_config_dir,
)

ALICE = AccountRecord(
    homeserver="https://matrix.example.org",
    user_id="@alice:example.org",
    device_id="ALICEDEV",
    login_method=LoginMethod.PASSWORD,
    identity_server="https://id.example.org",
    expires_at=1_760_000_000_000,
)
BOB = AccountRecord(
    homeserver="https://hs.example.net/_prefix",
    user_id="@bob:example.net",
    device_id="BOBDEV",
    login_method=LoginMethod.SSO,
)


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    return tmp_path / "config" / "mxsettings"  # not created yet: save() must create it


@pytest.fixture
def records(config_dir: Path) -> AccountRecords:
    return AccountRecords(config_dir)


def write_raw(records: AccountRecords, text: str) -> None:
    records.path.parent.mkdir(parents=True, exist_ok=True)
    records.path.write_text(text, encoding="utf-8")


def test_account_record_has_no_secret_fields() -> None:
    names = [f.name for f in dataclasses.fields(AccountRecord)]
    assert names  # the check below must look at something
    assert [n for n in names if any(word in n.lower() for word in ("token", "secret", "password"))] == []


def test_remembered_versions_round_trip(records: AccountRecords) -> None:
    remembered = dataclasses.replace(ALICE, api_versions=("r0.6.1", "v1.11"))
    records.save([remembered, dataclasses.replace(BOB, api_versions=())])
    assert [r.api_versions for r in records.load()] == [("r0.6.1", "v1.11"), ()]


def test_round_trip(records: AccountRecords) -> None:
    records.save([ALICE, BOB])
    assert AccountRecords(records.path.parent).load() == [ALICE, BOB]
    document = json.loads(records.path.read_text(encoding="utf-8"))
    assert document["accounts"][1] == {
        "homeserver": "https://hs.example.net/_prefix",
        "user_id": "@bob:example.net",
        "device_id": "BOBDEV",
        "login_method": "sso",
        "identity_server": None,
        "expires_at": None,
        "api_versions": None,
    }


def test_missing_file_means_no_accounts(records: AccountRecords) -> None:
    assert records.load() == []
    assert records.active_user_id() is None
    assert not records.path.parent.exists()  # reading creates nothing


def test_file_is_0600_and_directory_0700(records: AccountRecords, config_dir: Path) -> None:
    records.save([ALICE])
    assert stat.S_IMODE(records.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(config_dir.stat().st_mode) == 0o700


def test_mode_holds_under_a_permissive_umask(records: AccountRecords, config_dir: Path) -> None:
    old = os.umask(0)
    try:
        records.save([ALICE])
        records.upsert(BOB)
    finally:
        os.umask(old)
    assert stat.S_IMODE(records.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(config_dir.stat().st_mode) == 0o700


@pytest.mark.parametrize(
    "text",
    ["{not json", "", "[1, 2]", '{"accounts": {"a": 1}}', '"just a string"'],
)
def test_damaged_file_means_no_accounts_and_is_kept_aside(
    records: AccountRecords, caplog: pytest.LogCaptureFixture, text: str
) -> None:
    write_raw(records, text)
    with caplog.at_level(logging.WARNING, logger="mxsettings.store.accounts"):
        assert records.load() == []
    assert "damaged" in caplog.text
    aside = records.path.with_name("accounts.json.damaged")
    assert aside.read_text(encoding="utf-8") == text
    records.upsert(ALICE)  # the next save does not destroy what the user had
    assert aside.exists()
    assert records.load() == [ALICE]


def test_non_utf8_file_is_damaged(records: AccountRecords) -> None:
    records.path.parent.mkdir(parents=True)
    records.path.write_bytes(b'{"accounts": ["\xff"]}')
    assert records.load() == []


def test_unreadable_path_means_no_accounts(records: AccountRecords, caplog: pytest.LogCaptureFixture) -> None:
    # A directory where the file should be: reading fails with an OSError even for root.
    records.path.mkdir(parents=True)
    with caplog.at_level(logging.WARNING, logger="mxsettings.store.accounts"):
        assert records.load() == []
    assert "cannot read" in caplog.text


@pytest.mark.parametrize(
    "broken",
    [
        {"user_id": "@x:y", "device_id": "D", "login_method": "password"},  # no homeserver
        {"homeserver": "https://h", "device_id": "D", "login_method": "password"},  # no user ID
        {"homeserver": "https://h", "user_id": "@x:y", "login_method": "password"},  # no device ID
        {"homeserver": "https://h", "user_id": "@x:y", "device_id": "D"},  # no login method
        {"homeserver": "https://h", "user_id": "@x:y", "device_id": "D", "login_method": "carrier pigeon"},
        {"homeserver": "https://h", "user_id": "@x:y", "device_id": "D", "login_method": ["password"]},
        {"homeserver": "https://h", "user_id": "", "device_id": "D", "login_method": "sso"},
        {"homeserver": 1, "user_id": "@x:y", "device_id": "D", "login_method": "sso"},
        {
            "homeserver": "https://h",
            "user_id": "@x:y",
            "device_id": "D",
            "login_method": "sso",
            "expires_at": True,
        },
        {
            "homeserver": "https://h",
            "user_id": "@x:y",
            "device_id": "D",
            "login_method": "sso",
            "expires_at": "1",
        },
        {
            "homeserver": "https://h",
            "user_id": "@x:y",
            "device_id": "D",
            "login_method": "sso",
            "identity_server": 5,
        },
        "not an object",
    ],
)
def test_a_record_missing_a_required_field_is_skipped(
    records: AccountRecords, caplog: pytest.LogCaptureFixture, broken: object
) -> None:
    write_raw(records, json.dumps({"accounts": [broken, ALICE.to_json()], "active_user_id": "@x:y"}))
    with caplog.at_level(logging.WARNING, logger="mxsettings.store.accounts"):
        assert records.load() == [ALICE]
    assert "skipped" in caplog.text
    assert records.active_user_id() is None  # the active account was the skipped one


def test_unknown_keys_are_ignored(records: AccountRecords) -> None:
    entry = {**ALICE.to_json(), "avatar_colour": "teal", "future": {"nested": [1]}}
    write_raw(records, json.dumps({"version": 7, "accounts": [entry], "theme": "dark"}))
    assert records.load() == [ALICE]


def test_a_repeated_user_id_keeps_the_first(records: AccountRecords) -> None:
    later = dataclasses.replace(ALICE, device_id="OTHER")
    write_raw(records, json.dumps({"accounts": [ALICE.to_json(), later.to_json()]}))
    assert records.load() == [ALICE]


def test_upsert_adds_and_replaces_in_place(records: AccountRecords) -> None:
    records.upsert(ALICE)
    records.upsert(BOB)
    renewed = dataclasses.replace(ALICE, device_id="NEWDEV", expires_at=None)
    records.upsert(renewed)
    assert records.load() == [renewed, BOB]


def test_remove(records: AccountRecords) -> None:
    records.save([ALICE, BOB])
    records.remove(ALICE.user_id)
    records.remove("@nobody:example.org")  # unknown: nothing happens
    assert records.load() == [BOB]


def test_active_account_is_persisted(records: AccountRecords, config_dir: Path) -> None:
    records.save([ALICE, BOB])
    records.set_active_user_id(BOB.user_id)
    assert AccountRecords(config_dir).active_user_id() == BOB.user_id
    records.upsert(dataclasses.replace(BOB, expires_at=5))  # other writes keep it
    records.save([ALICE, BOB])
    assert records.active_user_id() == BOB.user_id
    records.set_active_user_id(None)
    assert records.active_user_id() is None


def test_upsert_can_make_the_account_active_in_the_same_write(records: AccountRecords) -> None:
    records.save([ALICE])
    records.set_active_user_id(ALICE.user_id)
    records.upsert(BOB, make_active=True)
    assert records.load() == [ALICE, BOB]
    assert records.active_user_id() == BOB.user_id
    records.upsert(dataclasses.replace(ALICE, expires_at=5))  # without it, the active account stays
    assert records.active_user_id() == BOB.user_id


def test_removing_the_active_account_clears_it(records: AccountRecords) -> None:
    records.save([ALICE, BOB])
    records.set_active_user_id(ALICE.user_id)
    records.remove(ALICE.user_id)
    assert records.active_user_id() is None
    assert json.loads(records.path.read_text(encoding="utf-8"))["active_user_id"] is None


def test_an_unknown_account_cannot_be_made_active(records: AccountRecords) -> None:
    records.save([ALICE])
    with pytest.raises(ValueError, match="no such account"):
        records.set_active_user_id(BOB.user_id)
    assert records.active_user_id() is None


def test_atomic_write_leaves_no_temporary_file(records: AccountRecords, config_dir: Path) -> None:
    records.save([ALICE])
    records.upsert(BOB)
    records.set_active_user_id(BOB.user_id)
    assert sorted(p.name for p in config_dir.iterdir()) == ["accounts.json"]


def test_a_failed_write_keeps_the_old_file_and_no_temporary(
    records: AccountRecords, config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records.save([ALICE])
    before = records.path.read_bytes()

    def fail_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail_replace)
    with pytest.raises(OSError, match="No space"):
        records.upsert(BOB)
    monkeypatch.undo()
    assert records.path.read_bytes() == before
    assert sorted(p.name for p in config_dir.iterdir()) == ["accounts.json"]


def test_non_ascii_survives(records: AccountRecords) -> None:
    record = dataclasses.replace(BOB, user_id="@bøb:exämple.net", homeserver="https://exämple.net")
    records.save([record])
    assert records.load() == [record]


# --- where the directory is ------------------------------------------------------------------------------


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))  # Path.home() on Windows
    for name in (CONFIG_DIR_ENV, "XDG_CONFIG_HOME", "APPDATA"):
        monkeypatch.delenv(name, raising=False)
    return home


def test_config_dir_env_override_wins(
    monkeypatch: pytest.MonkeyPatch, clean_env: Path, tmp_path: Path
) -> None:
    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path / "elsewhere"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    for platform in ("linux", "darwin", "win32"):
        assert default_config_dir(platform=platform) == tmp_path / "elsewhere"


def test_config_dir_linux(monkeypatch: pytest.MonkeyPatch, clean_env: Path, tmp_path: Path) -> None:
    assert default_config_dir(platform="linux") == clean_env / ".config" / "mxsettings"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert default_config_dir(platform="linux") == tmp_path / "xdg" / "mxsettings"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/dir")  # invalid per the XDG spec: ignored
    assert default_config_dir(platform="linux") == clean_env / ".config" / "mxsettings"


def test_config_dir_macos(clean_env: Path) -> None:
    assert (
        default_config_dir(platform="darwin") == clean_env / "Library" / "Application Support" / "mxsettings"
    )


def test_config_dir_windows(monkeypatch: pytest.MonkeyPatch, clean_env: Path, tmp_path: Path) -> None:
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert default_config_dir(platform="win32") == tmp_path / "Roaming" / "mxsettings"


def test_records_use_accounts_json_in_the_directory(config_dir: Path) -> None:
    assert AccountRecords(config_dir).path == config_dir / "accounts.json"
