"""The API layer and the UIA driver against a real Synapse 1.163.2 and its captured mail.

Every request these tests send goes through the conformance recorder; the ``api`` fixture fails the test
when one of them does not match the official Matrix definitions (or the seed's, for the legacy forms).
"""

from __future__ import annotations

import asyncio

import pytest

from mxsettings.api import account, discovery, session
from mxsettings.api.client import MatrixHttp, RateLimitPolicy
from mxsettings.api.generation import V3, ContactAdd, r0_generation
from mxsettings.api.homeserver import Homeserver
from mxsettings.api.models import ThreePidCredentials, UnbindResult, Versions
from mxsettings.errors import (
    Forbidden,
    LimitExceeded,
    PasswordNoDigit,
    PasswordNoLowercase,
    PasswordTooShort,
    ThreePidAuthFailed,
    ThreePidInUse,
    UnknownToken,
)
from mxsettings.services.uia_driver import run_uia
from tests.harness.mailbox import Mailbox, validation_link
from tests.harness.synapse import NewUser, RegisteredUser, SynapseServer, make_password
from tests.integration.api_support import ApiFactory, PasswordPrompter, new_client_secret, open_link

pytestmark = pytest.mark.asyncio


async def change_password(
    hs: Homeserver,
    user: RegisteredUser,
    new_password: str,
    *,
    logout_devices: bool,
    prompter: PasswordPrompter,
) -> None:
    await run_uia(
        lambda auth: account.change_password(hs, new_password, logout_devices=logout_devices, auth=auth),
        prompter,
        user_id=user.user_id,
        homeserver_url=hs.base_url,
        client_prefix=(await hs.generation()).client_prefix,
    )


async def test_discovery_on_a_current_synapse(
    api: ApiFactory, synapse: SynapseServer, new_user: NewUser
) -> None:
    user = new_user()
    async with api(synapse.base_url, user.access_token) as hs:
        assert await hs.generation() is V3
        versions = await hs.versions()
        assert versions is not None
        assert versions.has_v1()
        caps = await discovery.get_capabilities(hs)
        assert caps.change_password
        assert caps.threepid_changes
        flows = await discovery.get_login_flows(hs)
        assert flows is not None
        assert flows.supports("m.login.password")
        assert await discovery.probe_auth_metadata(hs) is None  # Synapse without MAS does not delegate


async def test_login_whoami_logout(api: ApiFactory, synapse: SynapseServer, new_user: NewUser) -> None:
    user = new_user("login")
    async with api(synapse.base_url) as hs:
        login = await session.login_password(hs, user.localpart, user.password)
        assert login.user_id == user.user_id
        assert login.access_token not in repr(login)
        hs.http.set_access_token(login.access_token)
        me = await session.whoami(hs)
        assert (me.user_id, me.device_id) == (user.user_id, login.device_id)
        await session.logout(hs)
        with pytest.raises(UnknownToken) as caught:
            await session.whoami(hs)
        assert caught.value.soft_logout is False


async def test_login_with_a_wrong_password_is_forbidden(
    api: ApiFactory, synapse: SynapseServer, new_user: NewUser
) -> None:
    user = new_user()
    async with api(synapse.base_url) as hs:
        with pytest.raises(Forbidden):
            await session.login_password(hs, user.user_id, "not-the-password-1")


async def test_password_change_wrong_then_right_in_one_uia_session(
    api: ApiFactory, synapse: SynapseServer, new_user: NewUser
) -> None:
    user = new_user("pw")
    new_password = make_password()
    prompter = PasswordPrompter("wrong-password-1", user.password)
    async with api(synapse.base_url, user.access_token) as hs:
        await change_password(hs, user, new_password, logout_devices=False, prompter=prompter)
        first, second = prompter.asks
        assert first.error is None
        assert second.error is not None
        assert second.error.errcode == "M_FORBIDDEN"
        assert first.session == second.session  # the retry stayed in the same UIA session
        assert (await session.whoami(hs)).user_id == user.user_id  # this session survives
    async with api(synapse.base_url) as hs:
        with pytest.raises(Forbidden):
            await session.login_password(hs, user.localpart, user.password)
        assert (await session.login_password(hs, user.localpart, new_password)).user_id == user.user_id


@pytest.mark.parametrize("logout_devices", [True, False])
async def test_logout_devices_decides_the_fate_of_other_sessions(
    api: ApiFactory, synapse: SynapseServer, new_user: NewUser, logout_devices: bool
) -> None:
    user = new_user("devices")
    async with api(synapse.base_url) as other:
        other_login = await session.login_password(other, user.localpart, user.password)
        other.http.set_access_token(other_login.access_token)
        async with api(synapse.base_url, user.access_token) as hs:
            await change_password(
                hs,
                user,
                make_password(),
                logout_devices=logout_devices,
                prompter=PasswordPrompter(user.password),
            )
            assert (await session.whoami(hs)).user_id == user.user_id
        if logout_devices:
            with pytest.raises(UnknownToken) as caught:
                await session.whoami(other)
            assert caught.value.soft_logout is False
        else:
            assert (await session.whoami(other)).user_id == user.user_id


@pytest.mark.parametrize(
    ("new_password", "error"),
    [("sh0rt", PasswordTooShort), ("abcdefghijk", PasswordNoDigit), ("ABCDEFGHIJ1", PasswordNoLowercase)],
)
async def test_password_policy_is_reported_by_rule(
    api: ApiFactory, synapse: SynapseServer, new_user: NewUser, new_password: str, error: type[Exception]
) -> None:
    user = new_user()
    prompter = PasswordPrompter(user.password)
    async with api(synapse.base_url, user.access_token) as hs:
        with pytest.raises(error):
            await change_password(hs, user, new_password, logout_devices=False, prompter=prompter)
    assert prompter.asks == []  # Synapse checks the policy before asking for authentication


async def add_with_uia(hs: Homeserver, user: RegisteredUser, creds: ThreePidCredentials) -> None:
    await run_uia(
        lambda auth: account.add_threepid(hs, creds, auth=auth),
        PasswordPrompter(user.password),
        user_id=user.user_id,
        homeserver_url=hs.base_url,
        client_prefix=(await hs.generation()).client_prefix,
    )


async def test_adding_an_email_end_to_end(
    api: ApiFactory, synapse: SynapseServer, mailbox: Mailbox, new_user: NewUser
) -> None:
    user = new_user("mail")
    address = f"{user.localpart}@example.test"
    secret = new_client_secret()
    async with api(synapse.base_url, user.access_token) as hs:
        before = mailbox.count()
        requested = await account.request_email_token(hs, address, secret, 1)
        assert requested.submit_url is None  # Synapse validates by link only
        creds = ThreePidCredentials(sid=requested.sid, client_secret=secret)
        with pytest.raises(ThreePidAuthFailed):  # the link has not been opened yet
            await add_with_uia(hs, user, creds)
        mail = await asyncio.to_thread(mailbox.wait_for, address, before)
        assert open_link(validation_link(mail)).status_code == 200
        await add_with_uia(hs, user, creds)
        listed = (await account.list_threepids(hs)).threepids
        assert [(t.medium, t.address) for t in listed] == [("email", address)]
        assert listed[0].validated_at is not None
        assert listed[0].added_at is not None
        assert await account.delete_threepid(hs, "email", address) is UnbindResult.NO_SUPPORT
        assert (await account.list_threepids(hs)).threepids == ()


async def validated_email(hs: Homeserver, mailbox: Mailbox, address: str, secret: str) -> ThreePidCredentials:
    before = mailbox.count()
    requested = await account.request_email_token(hs, address, secret, 1)
    mail = await asyncio.to_thread(mailbox.wait_for, address, before)
    assert open_link(validation_link(mail)).status_code == 200
    return ThreePidCredentials(sid=requested.sid, client_secret=secret)


async def test_an_address_in_use_is_refused_at_request_token(
    api: ApiFactory, synapse: SynapseServer, mailbox: Mailbox, new_user: NewUser
) -> None:
    owner, other = new_user("owner"), new_user("other")
    address = f"{owner.localpart}@example.test"
    async with api(synapse.base_url, owner.access_token) as hs:
        await add_with_uia(hs, owner, await validated_email(hs, mailbox, address, new_client_secret()))
    async with api(synapse.base_url, other.access_token) as hs:
        with pytest.raises(ThreePidInUse):
            await account.request_email_token(hs, address, new_client_secret(), 1)


R0_CURRENT = r0_generation(Versions(versions=("r0.5.0", "r0.6.0", "r0.6.1")))
R0_BEFORE_ADD = r0_generation(Versions(versions=("r0.4.0", "r0.5.0")))


async def test_r0_paths_work_on_the_same_synapse(
    api: ApiFactory, synapse: SynapseServer, new_user: NewUser
) -> None:
    user = new_user("rzero")
    async with api(synapse.base_url, user.access_token, generation=R0_CURRENT) as hs:
        assert (await session.whoami(hs)).user_id == user.user_id
        assert (await discovery.get_capabilities(hs)).change_password
        assert (await account.list_threepids(hs)).threepids == ()
        await change_password(
            hs, user, make_password(), logout_devices=False, prompter=PasswordPrompter(user.password)
        )


async def test_deprecated_3pid_post_adds_a_validated_email(
    api: ApiFactory, synapse: SynapseServer, mailbox: Mailbox, new_user: NewUser
) -> None:
    user = new_user("legacy")
    address = f"{user.localpart}@example.test"
    assert R0_BEFORE_ADD.contact_add is ContactAdd.THREE_PID_CREDS
    async with api(synapse.base_url, user.access_token, generation=R0_BEFORE_ADD) as hs:
        creds = await validated_email(hs, mailbox, address, new_client_secret())
        await account.add_threepid(hs, creds, auth=None)  # no UIA on the deprecated endpoint
        assert [t.address for t in (await account.list_threepids(hs)).threepids] == [address]


async def test_the_rate_limited_server_is_waited_out(
    api: ApiFactory, synapse_tight: SynapseServer, new_user: NewUser
) -> None:
    user = new_user("tight", server=synapse_tight)
    waits: list[float] = []

    async def recorded_sleep(seconds: float) -> None:
        waits.append(seconds)
        await asyncio.sleep(seconds)

    async with api(synapse_tight.base_url, sleep=recorded_sleep) as hs:
        for _ in range(4):
            await session.login_password(hs, user.localpart, user.password)
    assert waits, "the tight server never answered 429"
    assert all(0 < w <= 5 for w in waits)  # Retry-After from the server, within the auto-wait cap


async def test_a_long_rate_limit_is_handed_back_with_its_wait(
    api: ApiFactory, synapse_tight: SynapseServer, new_user: NewUser
) -> None:
    user = new_user("tight", server=synapse_tight)
    policy = RateLimitPolicy(max_auto_wait=0.1)
    async with api(synapse_tight.base_url, user.access_token, rate_limit=policy) as hs:

        async def request_until_limited() -> None:
            for attempt in range(1, 6):
                await account.request_email_token(hs, f"{user.localpart}@example.test", "cs-tight", attempt)

        with pytest.raises(LimitExceeded) as caught:
            await request_until_limited()
    assert caught.value.retry_after is not None
    assert caught.value.retry_after > 0


async def test_deactivation_with_uia(api: ApiFactory, synapse: SynapseServer, new_user: NewUser) -> None:
    user = new_user("leaving")
    async with api(synapse.base_url, user.access_token) as hs:
        result = await run_uia(
            lambda auth: account.deactivate(hs, auth=auth, erase=False),
            PasswordPrompter(user.password),
            user_id=user.user_id,
            homeserver_url=hs.base_url,
        )
        assert result.unbind in (UnbindResult.SUCCESS, UnbindResult.NO_SUPPORT)
        with pytest.raises(UnknownToken):
            await session.whoami(hs)
    async with api(synapse.base_url) as hs:
        with pytest.raises(Forbidden):
            await session.login_password(hs, user.localpart, user.password)


async def test_token_refused_after_another_session_logged_everything_out(
    api: ApiFactory, synapse: SynapseServer, new_user: NewUser
) -> None:
    user = new_user()
    http = MatrixHttp(synapse.base_url)
    try:
        http.set_access_token(user.access_token)
        await http.request("POST", "/_matrix/client/v3/logout/all", body={})
    finally:
        await http.aclose()
    async with api(synapse.base_url, user.access_token) as hs:
        with pytest.raises(UnknownToken):
            await session.whoami(hs)
