"""Inbound authentication of Bot Framework requests (channel JWTs, signing keys, settings)."""

from .config import EdgeConfig, EdgeConfigError
from .errors import AuthenticationFailed
from .key_cache import OpenIdKeyCache, SigningKey
from .token_validator import ChannelTokenValidator, VerifiedToken
from .user_token_client import UnsupportedUserTokenClient

__all__ = [
    "AuthenticationFailed",
    "ChannelTokenValidator",
    "EdgeConfig",
    "EdgeConfigError",
    "OpenIdKeyCache",
    "SigningKey",
    "UnsupportedUserTokenClient",
    "VerifiedToken",
]
