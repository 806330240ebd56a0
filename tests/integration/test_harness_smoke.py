"""The harness itself: a real Synapse, the shared-secret registration, the SMTP sink and the mailbox."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.harness.mailbox import Mailbox, text_body, validation_link
from tests.harness.synapse import NewUser, SynapseServer


def _login(client: httpx.Client, localpart: str, password: str) -> httpx.Response:
    return client.post(
        "/_matrix/client/v3/login",
        json={
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": localpart},
            "password": password,
        },
    )


def test_register_login_whoami(synapse: SynapseServer, new_user: NewUser) -> None:
    user = new_user("smoke")
    assert user.user_id == f"@{user.localpart}:localhost"
    with httpx.Client(base_url=synapse.base_url, timeout=10) as client:
        response = _login(client, user.localpart, user.password)
        assert response.status_code == 200, response.text
        token = response.json()["access_token"]
        assert token != user.access_token
        whoami = client.get("/_matrix/client/v3/account/whoami", headers={"Authorization": f"Bearer {token}"})
        assert whoami.status_code == 200, whoami.text
        assert whoami.json()["user_id"] == user.user_id


def test_email_validation_link_round_trip(
    synapse: SynapseServer, mailbox: Mailbox, new_user: NewUser
) -> None:
    user = new_user("mail")
    address = f"{user.localpart}@example.test"
    before = mailbox.count()
    with httpx.Client(
        base_url=synapse.base_url, timeout=10, headers={"Authorization": f"Bearer {user.access_token}"}
    ) as client:
        response = client.post(
            "/_matrix/client/v3/account/3pid/email/requestToken",
            json={"client_secret": "smoke-secret-1", "email": address, "send_attempt": 1},
        )
        assert response.status_code == 200, response.text
        sid = response.json()["sid"]

        msg = mailbox.wait_for(address, since_count=before)
        assert msg["Subject"] == "[localhost] Validate your email"
        assert "add an email address" in text_body(msg)
        link = validation_link(msg)
        assert link.startswith(f"{synapse.base_url}/_matrix/client/unstable/add_threepid/email/submit_token?")
        assert f"sid={sid}" in link

        opened = client.get(link)
        assert opened.status_code == 200, opened.text
        assert "validated" in opened.text


def test_wait_for_times_out_quickly_for_unknown_recipient(mailbox: Mailbox) -> None:
    started = time.monotonic()
    with pytest.raises(TimeoutError, match=r"nobody@example\.test"):
        mailbox.wait_for("nobody@example.test", since_count=mailbox.count(), timeout=0.3)
    assert time.monotonic() - started < 5


def test_tight_server_rate_limits_logins(synapse_tight: SynapseServer, new_user: NewUser) -> None:
    user = new_user("tight", server=synapse_tight)
    synapse_tight.reset_rate_limits()  # other tests may have used the shared per-address bucket
    with httpx.Client(base_url=synapse_tight.base_url, timeout=10) as client:
        statuses = [_login(client, user.localpart, user.password) for _ in range(3)]
    assert [r.status_code for r in statuses[:2]] == [200, 200]
    limited = statuses[2]
    assert limited.status_code == 429, limited.text
    assert limited.json()["errcode"] == "M_LIMIT_EXCEEDED"
    assert 0 < limited.json()["retry_after_ms"] <= 2000
    assert limited.headers["Retry-After"] == "2"


def test_restart_keeps_users_and_mail(synapse_tight: SynapseServer, new_user: NewUser) -> None:
    user = new_user("restart", server=synapse_tight)
    mail_before = synapse_tight.mailbox.count()
    synapse_tight.restart()
    assert synapse_tight.running
    assert synapse_tight.mailbox.count() == mail_before
    with httpx.Client(base_url=synapse_tight.base_url, timeout=10) as client:
        whoami = client.get(
            "/_matrix/client/v3/account/whoami", headers={"Authorization": f"Bearer {user.access_token}"}
        )
    assert whoami.status_code == 200, whoami.text
