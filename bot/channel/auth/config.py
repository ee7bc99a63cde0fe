"""Settings of the Bot Framework edge (credentials, endpoints, timeouts) as one frozen value."""

from __future__ import annotations

from dataclasses import dataclass, field

BOT_FRAMEWORK_OPENID_METADATA_URL = (
    "https://login.botframework.com/v1/.well-known/openidconfiguration"
)
BOT_FRAMEWORK_TOKEN_ISSUER = "https://api.botframework.com"
AAD_AUTHORITY = "https://login.microsoftonline.com"
BOT_FRAMEWORK_OAUTH_SCOPE = "https://api.botframework.com"
# Multi-tenant bots get their outbound tokens from the Bot Framework's own AAD tenant.
MULTI_TENANT_TOKEN_TENANT = "botframework.com"
PUBLIC_AZURE_CALLER_ID = "urn:botframework:azure"

APP_TYPES = ("MultiTenant", "SingleTenant", "UserAssignedMSI")


class EdgeConfigError(ValueError):
    """The edge settings are inconsistent or ask for something we do not support."""


@dataclass(frozen=True)
class EdgeConfig:
    """Everything the edge needs; an empty `app_id` means local/emulator mode (no auth)."""

    app_id: str = ""
    # repr=False: the password must never end up in a log line via repr(config).
    app_password: str = field(default="", repr=False)
    app_type: str = "MultiTenant"
    tenant_id: str = ""
    openid_metadata_url: str = BOT_FRAMEWORK_OPENID_METADATA_URL
    token_issuers: tuple[str, ...] = (BOT_FRAMEWORK_TOKEN_ISSUER,)
    aad_authority: str = AAD_AUTHORITY
    oauth_scope: str = BOT_FRAMEWORK_OAUTH_SCOPE
    caller_id: str | None = PUBLIC_AZURE_CALLER_ID
    clock_skew_seconds: float = 300.0
    # Inbound signing keys.
    metadata_timeout_seconds: float = 5.0
    key_refresh_interval_seconds: float = 24 * 3600.0
    key_min_refresh_interval_seconds: float = 300.0
    key_failure_backoff_seconds: float = 30.0
    # Outbound calls.
    token_timeout_seconds: float = 10.0
    request_timeout_seconds: float = 15.0
    delivery_deadline_seconds: float = 60.0
    max_attempts: int = 4
    retry_after_cap_seconds: float = 30.0

    def __post_init__(self) -> None:
        if self.app_type not in APP_TYPES:
            raise EdgeConfigError(f"app_type must be one of {APP_TYPES}, not {self.app_type!r}")
        if isinstance(self.token_issuers, str):
            # A lone string would be iterated character by character by the validator.
            object.__setattr__(self, "token_issuers", (self.token_issuers,))
        if self.anonymous:
            return
        if self.app_type == "UserAssignedMSI":
            raise EdgeConfigError(
                "app_type UserAssignedMSI is not supported; use MultiTenant or SingleTenant"
            )
        if not self.app_password:
            raise EdgeConfigError("app_password is required when app_id is set")
        if self.app_type == "SingleTenant" and not self.tenant_id:
            raise EdgeConfigError("tenant_id is required for a SingleTenant bot")
        if not self.token_issuers:
            raise EdgeConfigError("at least one token issuer is required")
        if self.max_attempts < 1:
            raise EdgeConfigError("max_attempts must be at least 1")

    @property
    def anonymous(self) -> bool:
        """Local/emulator mode: inbound requests are not authenticated, outbound carry no token."""
        return not self.app_id

    @property
    def token_tenant(self) -> str:
        """The AAD tenant that issues the bot's outbound (client-credentials) tokens."""
        if self.app_type == "SingleTenant":
            return self.tenant_id
        return MULTI_TENANT_TOKEN_TENANT
