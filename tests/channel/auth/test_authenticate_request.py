"""MoedebotFrameworkAuthentication.authenticate_request: what is accepted and what gives 401."""

from __future__ import annotations

import time

import pytest
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount
from botframework.connector.auth import AuthenticationConstants

from bot.channel.auth import AuthenticationFailed, EdgeConfig, UnsupportedUserTokenClient
from bot.channel.framework_auth import MoedebotFrameworkAuthentication
from bot.channel.outbound import MissingServiceUrl, MoedebotConnectorClient


def make_activity(oid, *, channel_id="msteams", service_url=None) -> Activity:
    return Activity(
        type="message",
        id="1700000000000",
        channel_id=channel_id,
        service_url=oid.SERVICE_URL if service_url is None else service_url,
        conversation=ConversationAccount(id="19:abc@thread.tacv2"),
        from_property=ChannelAccount(id="29:user"),
        recipient=ChannelAccount(id="28:bot"),
        text="hi",
    )


@pytest.fixture
async def auth(session, openid_server, oid):
    config = EdgeConfig(
        app_id=oid.APP_ID, app_password="s3cret", openid_metadata_url=openid_server.metadata_url
    )
    edge = MoedebotFrameworkAuthentication(config, session)
    await edge.start()
    yield edge
    await edge.close()


async def test_valid_token_is_accepted_with_the_claims_the_sdk_expects(auth, oid, rsa_keys):
    token = oid.sign(rsa_keys["main"])
    result = await auth.authenticate_request(make_activity(oid), f"Bearer {token}")

    identity = result.claims_identity
    assert identity.is_authenticated
    assert identity.claims[AuthenticationConstants.AUDIENCE_CLAIM] == oid.APP_ID
    assert identity.claims["serviceurl"] == oid.SERVICE_URL
    assert result.audience == "https://api.botframework.com"
    assert result.caller_id == "urn:botframework:azure"
    client = await result.connector_factory.create(oid.SERVICE_URL, result.audience)
    assert isinstance(client, MoedebotConnectorClient)
    assert client.config.base_url == oid.SERVICE_URL
    assert auth.create_connector_factory(identity) is result.connector_factory


async def test_user_token_client_is_cheap_and_refuses_use(auth):
    client = await auth.create_user_token_client(None)
    assert isinstance(client, UnsupportedUserTokenClient)
    with pytest.raises(NotImplementedError):
        await client.get_user_token("u", "c", "msteams", None)


async def test_serviceurl_trailing_slash_difference_is_tolerated(auth, oid, rsa_keys):
    token = oid.sign(rsa_keys["main"], serviceurl=oid.SERVICE_URL.rstrip("/"))
    result = await auth.authenticate_request(make_activity(oid), f"Bearer {token}")
    assert result.claims_identity.is_authenticated


async def test_expiry_within_clock_skew_is_accepted(auth, oid, rsa_keys):
    now = int(time.time())
    token = oid.sign(rsa_keys["main"], exp=now - 60, nbf=now - 600)
    result = await auth.authenticate_request(make_activity(oid), f"Bearer {token}")
    assert result.claims_identity.is_authenticated


@pytest.mark.parametrize("channel_id", ["msteams", "slack"])
async def test_key_without_endorsements_endorses_no_channel(auth, oid, rsa_keys, channel_id):
    token = oid.sign(rsa_keys["other"], kid="key-2")
    activity = make_activity(oid, channel_id=channel_id)
    with pytest.raises(AuthenticationFailed, match="not endorsed"):
        await auth.authenticate_request(activity, f"Bearer {token}")


def _bad_headers(oid, keys):
    now = int(time.time())
    main = keys["main"]
    return {
        "no header": "",
        "None header": None,
        "garbage bearer": "Bearer garbage",
        "empty bearer": "Bearer ",
        "basic scheme": "Basic dXNlcjpwYXNzd29yZA==",
        "three parts": f"Bearer {oid.sign(main)} extra",
        "expired": f"Bearer {oid.sign(main, exp=now - 3600, nbf=now - 7200)}",
        "not yet valid": f"Bearer {oid.sign(main, nbf=now + 3600, exp=now + 7200)}",
        "no exp": f"Bearer {oid.sign(main, exp=None)}",
        "wrong signature": f"Bearer {oid.sign(keys['attacker'], kid='key-1')}",
        "signed by the other published key": f"Bearer {oid.sign(keys['other'], kid='key-1')}",
        "unknown kid": f"Bearer {oid.sign(keys['attacker'], kid='key-evil')}",
        "no kid": f"Bearer {oid.sign(main, kid=None)}",
        "wrong audience": f"Bearer {oid.sign(main, aud='someone-else')}",
        "wrong issuer": f"Bearer {oid.sign(main, iss='https://evil.example')}",
        "serviceurl mismatch": f"Bearer {oid.sign(main, serviceurl='https://evil.example/')}",
        "serviceurl missing": f"Bearer {oid.sign(main, serviceurl=None)}",
        "hmac token": f"Bearer {oid.sign(b'x' * 32, algorithm='HS256')}",
    }


# case -> the reason we expect, so each case fails for the right cause.
BAD_CASES = {
    "no header": "no Authorization",
    "None header": "no Authorization",
    "garbage bearer": "malformed",
    "empty bearer": "empty Bearer",
    "basic scheme": "not a Bearer",
    "three parts": "not a Bearer",
    "expired": "expired",
    "not yet valid": "not yet valid",
    "no exp": "required claim",
    "wrong signature": "bad signature",
    "signed by the other published key": "bad signature",
    "unknown kid": "unknown signing key",
    "no kid": "no key id",
    "wrong audience": "wrong audience",
    "wrong issuer": "wrong issuer",
    "serviceurl mismatch": "does not match",
    "serviceurl missing": "serviceurl claim missing",
    "hmac token": "algorithm",
}


@pytest.mark.parametrize("case", list(BAD_CASES))
async def test_bad_requests_raise_authentication_failed(auth, oid, rsa_keys, case):
    header = _bad_headers(oid, rsa_keys)[case]
    with pytest.raises(AuthenticationFailed) as failure:
        await auth.authenticate_request(make_activity(oid), header)
    assert BAD_CASES[case] in failure.value.reason
    assert "eyJ" not in str(failure.value)  # no token (base64 JSON header) is ever echoed


async def test_missing_endorsement_is_rejected(auth, oid, rsa_keys):
    token = oid.sign(rsa_keys["main"])  # key-1 is endorsed for msteams and webchat only
    with pytest.raises(AuthenticationFailed, match="endorsed"):
        await auth.authenticate_request(make_activity(oid, channel_id="slack"), f"Bearer {token}")


async def test_activity_without_service_url_is_rejected(auth, oid, rsa_keys):
    token = oid.sign(rsa_keys["main"])
    with pytest.raises(AuthenticationFailed, match="serviceurl"):
        await auth.authenticate_request(make_activity(oid, service_url=""), f"Bearer {token}")


async def test_unexpected_errors_still_become_authentication_failed(auth, oid, rsa_keys):
    async def broken(kid):
        raise RuntimeError("bug")

    auth.key_cache.get = broken
    with pytest.raises(AuthenticationFailed):
        await auth.authenticate_request(make_activity(oid), f"Bearer {oid.sign(rsa_keys['main'])}")


async def test_anonymous_mode_needs_no_header_and_ignores_one(session, openid_server, oid):
    edge = MoedebotFrameworkAuthentication(EdgeConfig(), session)
    await edge.start()
    try:
        for header in ("", "Bearer garbage", "Basic abc"):
            result = await edge.authenticate_request(make_activity(oid), header)
            assert result.claims_identity.is_authenticated
            assert result.claims_identity.authentication_type == "anonymous"
            assert result.caller_id is None
        assert openid_server.metadata_hits == 0
        with pytest.raises(MissingServiceUrl):
            await result.connector_factory.create("", result.audience)
    finally:
        await edge.close()


def test_authentication_failed_is_what_the_sdk_maps_to_401():
    failure = AuthenticationFailed("token expired")
    assert isinstance(failure, PermissionError)
    assert str(failure) == failure.reason == "token expired"


async def test_streaming_and_skill_requests_are_refused(auth):
    with pytest.raises(AuthenticationFailed):
        await auth.authenticate_streaming_request("Bearer x", "msteams")
    with pytest.raises(AuthenticationFailed):
        await auth.authenticate_channel_request("Bearer x")
    assert auth.get_originating_audience() == "https://api.botframework.com"
