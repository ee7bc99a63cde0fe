"""EdgeConfig: supported app types, required settings, no secret in repr."""

from __future__ import annotations

import pytest

from bot.channel.auth import EdgeConfig, EdgeConfigError


def test_defaults_are_the_public_bot_framework():
    config = EdgeConfig(app_id="app", app_password="pw")
    assert config.openid_metadata_url == (
        "https://login.botframework.com/v1/.well-known/openidconfiguration"
    )
    assert config.token_issuers == ("https://api.botframework.com",)
    assert config.token_tenant == "botframework.com"
    assert config.clock_skew_seconds == 300
    assert not config.anonymous


def test_single_tenant_uses_its_tenant_and_requires_it():
    assert (
        EdgeConfig(
            app_id="a", app_password="p", app_type="SingleTenant", tenant_id="t-1"
        ).token_tenant
        == "t-1"
    )
    with pytest.raises(EdgeConfigError, match="tenant_id"):
        EdgeConfig(app_id="a", app_password="p", app_type="SingleTenant")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"app_id": "a", "app_password": "p", "app_type": "UserAssignedMSI"}, "not supported"),
        ({"app_id": "a", "app_password": "p", "app_type": "Bogus"}, "app_type"),
        ({"app_id": "a"}, "app_password"),
        ({"app_id": "a", "app_password": "p", "token_issuers": ()}, "issuer"),
    ],
)
def test_invalid_settings_are_refused(kwargs, message):
    with pytest.raises(EdgeConfigError, match=message):
        EdgeConfig(**kwargs)


def test_empty_app_id_is_anonymous_and_password_is_not_in_repr():
    assert EdgeConfig().anonymous
    assert "hunter2" not in repr(EdgeConfig(app_id="a", app_password="hunter2"))
    assert EdgeConfig(app_id="a", app_password="p", token_issuers="x").token_issuers == ("x",)
