"""Mødebot's BotFrameworkAuthentication: our token validation, connector client and token cache."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import aiohttp
from botbuilder.schema import Activity
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)

from .auth import (
    AuthenticationFailed,
    ChannelTokenValidator,
    EdgeConfig,
    OpenIdKeyCache,
    UnsupportedUserTokenClient,
    VerifiedToken,
)
from .outbound import (
    AadTokenProvider,
    ConnectorTransport,
    ConversationPacer,
    DeliveryStats,
    MoedebotConnectorFactory,
    RetryPolicy,
)

logger = logging.getLogger(__name__)


class MoedebotFrameworkAuthentication(BotFrameworkAuthentication):
    """Plug into `CloudAdapter(...)`. Every authentication failure is an AuthenticationFailed
    (answer 401); connector clients share one ClientSession, token cache, pacer and stats.
    Tie `start()`/`close()` to the app's lifetime; the ClientSession stays the app's to close."""

    def __init__(
        self,
        config: EdgeConfig,
        session: aiohttp.ClientSession,
        *,
        key_cache: OpenIdKeyCache | None = None,
        token_provider: AadTokenProvider | None = None,
        pacer: ConversationPacer | None = None,
        stats: DeliveryStats | None = None,
        transport: ConnectorTransport | None = None,
    ) -> None:
        self.config = config
        self.stats = stats if stats is not None else DeliveryStats()
        self.key_cache: OpenIdKeyCache | None = None
        self._validator: ChannelTokenValidator | None = None
        if not config.anonymous:
            self.key_cache = key_cache or OpenIdKeyCache(
                session,
                config.openid_metadata_url,
                fetch_timeout=config.metadata_timeout_seconds,
                refresh_interval=config.key_refresh_interval_seconds,
                min_refresh_interval=config.key_min_refresh_interval_seconds,
                failure_backoff=config.key_failure_backoff_seconds,
            )
            self._validator = ChannelTokenValidator(
                self.key_cache,
                app_id=config.app_id,
                issuers=config.token_issuers,
                clock_skew=config.clock_skew_seconds,
            )
        self.token_provider = token_provider or AadTokenProvider(
            session,
            app_id=config.app_id,
            app_password=config.app_password,
            tenant=config.token_tenant,
            authority=config.aad_authority,
            scope=config.oauth_scope,
            timeout=config.token_timeout_seconds,
        )
        self.pacer = pacer if pacer is not None else ConversationPacer()
        self.transport = transport or ConnectorTransport(
            session,
            self.token_provider,
            stats=self.stats,
            pacer=self.pacer,
            retry=RetryPolicy(
                max_attempts=config.max_attempts,
                deadline=config.delivery_deadline_seconds,
                retry_after_cap=config.retry_after_cap_seconds,
            ),
            request_timeout=config.request_timeout_seconds,
        )
        self.connector_factory = MoedebotConnectorFactory(self.transport)
        self._user_token_client = UnsupportedUserTokenClient()

    async def start(self) -> None:
        if self.key_cache is not None:
            await self.key_cache.start()

    async def close(self) -> None:
        if self.key_cache is not None:
            await self.key_cache.close()
        await self.token_provider.close()

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        """The SDK's seam: both halves below, for a request whose activity is already parsed."""
        token = await self.authenticate_header(auth_header)
        return self.authorize_activity(token, activity)

    async def authenticate_header(self, auth_header: str | None) -> VerifiedToken | None:
        """Everything the header alone decides (scheme, signature, issuer, audience, lifetime,
        a key endorsed for some channel), so a bad token costs no body read or parse.
        None in local mode, where nothing is checked."""
        if self._validator is None:
            return None
        with _crashes_refused():
            return await self._validator.verify(auth_header)

    def authorize_activity(
        self, token: VerifiedToken | None, activity: Activity
    ) -> AuthenticateRequestResult:
        """The checks that need the activity: the key's channel endorsement, `serviceurl`."""
        if self._validator is None:
            # Local/emulator mode, as the SDK does with auth disabled: any Authorization header
            # is ignored, and the caller id is cleared.
            identity = ClaimsIdentity({}, True, AuthenticationConstants.ANONYMOUS_AUTH_TYPE)
            caller_id = None
        elif token is None:
            raise AuthenticationFailed("no verified token")
        else:
            with _crashes_refused():
                claims = self._validator.check_activity(
                    token, channel_id=activity.channel_id, service_url=activity.service_url
                )
            identity = ClaimsIdentity(claims, True, "Bearer")
            caller_id = self.config.caller_id
        result = AuthenticateRequestResult()
        result.claims_identity = identity
        result.audience = self.config.oauth_scope
        result.caller_id = caller_id
        result.connector_factory = self.connector_factory
        return result

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        raise AuthenticationFailed("streaming requests are not supported")

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        # One bot, one credential: the factory does not depend on the claims.
        return self.connector_factory

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        return self._user_token_client

    def create_bot_framework_client(self) -> NoReturn:
        raise NotImplementedError("skills are not supported")

    def get_originating_audience(self) -> str:
        return self.config.oauth_scope

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        raise AuthenticationFailed("skill requests are not supported")


@contextmanager
def _crashes_refused() -> Iterator[None]:
    try:
        yield
    except AuthenticationFailed:
        raise  # the endpoint logs refusals (rate-limited): one place, not two
    except Exception as exc:
        # Whatever went wrong, the caller must answer 401, not 500.
        logger.exception("inbound authentication crashed")
        raise AuthenticationFailed("authentication error") from exc
