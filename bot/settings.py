"""Frozen settings read from the environment (and .env) on demand, with Bot Framework names."""

from __future__ import annotations

import ipaddress
import os
import secrets
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.domain.pseudonyms import pseudonym

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/moedebot.db"
BOT_FRAMEWORK_OPENID_METADATA = "https://login.botframework.com/v1/.well-known/openidconfiguration"
BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"


def _alias(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class Settings(BaseSettings):
    """Everything configurable. Built by `Settings.load()`; never read at import time."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
        populate_by_name=True,
    )

    app_id: str = Field("", validation_alias=_alias("MicrosoftAppId", "MICROSOFT_APP_ID"))
    app_password: SecretStr = Field(
        SecretStr(""), validation_alias=_alias("MicrosoftAppPassword", "MICROSOFT_APP_PASSWORD")
    )
    app_type: Literal["MultiTenant", "SingleTenant", "UserAssignedMSI"] = Field(
        "MultiTenant", validation_alias=_alias("MicrosoftAppType", "MICROSOFT_APP_TYPE")
    )
    app_tenant_id: str = Field(
        "", validation_alias=_alias("MicrosoftAppTenantId", "MICROSOFT_APP_TENANT_ID")
    )
    database_url: str = Field(DEFAULT_DATABASE_URL, validation_alias="DATABASE_URL")
    host: str = Field("", validation_alias="HOST")
    port: int = Field(3978, ge=0, le=65535, validation_alias="PORT")
    admin_ids: Annotated[tuple[str, ...], NoDecode] = Field((), validation_alias="ADMIN_IDS")
    timezone: str = Field("Europe/Copenhagen", validation_alias="TIMEZONE")
    hash_secret: SecretStr = Field(
        SecretStr(""), validation_alias=_alias("MOEDEBOT_HASH_SECRET", "HASH_SECRET")
    )
    data_dir: Path = Field(Path("data"), validation_alias="DATA_DIR")
    knowledge_dir: Path = Field(Path("knowledge"), validation_alias="KNOWLEDGE_DIR")
    knowledge_watch_seconds: float = Field(30.0, ge=0, validation_alias="KNOWLEDGE_WATCH_SECONDS")
    max_body_bytes: int = Field(512 * 1024, ge=1024, validation_alias="MAX_BODY_BYTES")
    # Reminders of the knowledge base's events in conversations that subscribed ("abonner på
    # påmindelser"): how many days before an event's first day, and at what local time.
    subscription_reminder_days: Annotated[tuple[int, ...], NoDecode] = Field(
        (7, 1), validation_alias="SUBSCRIPTION_REMINDER_DAYS"
    )
    subscription_reminder_time: str = Field("09:00", validation_alias="SUBSCRIPTION_REMINDER_TIME")
    log_level: str = Field("INFO", validation_alias="LOG_LEVEL")
    # A reminder found due later than this (the bot was down) is recorded as missed, not sent.
    reminder_max_lateness_hours: float = Field(
        12.0, gt=0, validation_alias="REMINDER_MAX_LATENESS_HOURS"
    )
    # The HTTP server's limits (bot/server.py): slow or idle clients must not hold connections.
    header_timeout_seconds: float = Field(10.0, gt=0, validation_alias="HEADER_TIMEOUT_SECONDS")
    body_timeout_seconds: float = Field(10.0, gt=0, validation_alias="BODY_TIMEOUT_SECONDS")
    idle_timeout_seconds: float = Field(75.0, gt=0, validation_alias="IDLE_TIMEOUT_SECONDS")
    max_connections: int = Field(500, ge=1, validation_alias="MAX_CONNECTIONS")
    # Serving unauthenticated on a network address is an open relay; it must be asked for.
    allow_unauthenticated_network: bool = Field(
        False, validation_alias="ALLOW_UNAUTHENTICATED_NETWORK"
    )
    # How people's browsers reach the bot (calendar files, results pages).
    public_url: str = Field("", validation_alias="PUBLIC_URL")
    # Where channel tokens are checked: settings, so tests and sovereign clouds can point elsewhere.
    openid_metadata_url: str = Field(
        BOT_FRAMEWORK_OPENID_METADATA,
        validation_alias=_alias("TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL", "OPENID_METADATA_URL"),
    )
    token_issuer: str = Field(
        BOT_FRAMEWORK_ISSUER,
        validation_alias=_alias("TO_BOT_FROM_CHANNEL_TOKEN_ISSUER", "TOKEN_ISSUER"),
    )
    login_url_base: str = Field(
        "https://login.microsoftonline.com",
        validation_alias=_alias("TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX", "LOGIN_URL_BASE"),
    )
    oauth_scope: str = Field(
        "https://api.botframework.com",
        validation_alias=_alias("TO_CHANNEL_FROM_BOT_OAUTH_SCOPE", "OAUTH_SCOPE"),
    )

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("subscription_reminder_days", mode="before")
    @classmethod
    def _split_days(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("subscription_reminder_days")
    @classmethod
    def _sensible_days(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value:
            raise ValueError("give at least one number of days, e.g. 7,1")
        if any(not 0 <= days <= 365 for days in value):
            raise ValueError("days before an event must be between 0 and 365")
        return tuple(sorted(set(value), reverse=True))

    @field_validator("subscription_reminder_time")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        _clock_time_of(value)
        return value.strip()

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @classmethod
    def load(cls, **overrides: Any) -> Settings:
        """Read the environment (and .env) now; keyword overrides win (used by tests)."""
        return cls(**overrides)

    @property
    def authenticated(self) -> bool:
        """With an app id the bot demands Bot Framework tokens; without, it runs locally."""
        return bool(self.app_id)

    @property
    def bind_host(self) -> str:
        if self.host:
            return self.host
        return "0.0.0.0" if self.authenticated else "127.0.0.1"

    @property
    def public_base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "localhost" if self.bind_host in ("0.0.0.0", "::") else self.bind_host
        return f"http://{host}:{self.port}"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def subscription_remind_at(self) -> time:
        return _clock_time_of(self.subscription_reminder_time)

    def check_deployment(self) -> None:
        """Refuse configurations that would be unsafe or broken in production."""
        if (
            not self.authenticated
            and not _is_loopback(self.bind_host)
            and not self.allow_unauthenticated_network
        ):
            raise ValueError(
                f"HOST={self.bind_host} without MicrosoftAppId would serve unauthenticated "
                "requests to the network; set the app credentials (or "
                "ALLOW_UNAUTHENTICATED_NETWORK=true for a closed test network)"
            )
        if self.authenticated and not self.public_url:
            raise ValueError(
                "PUBLIC_URL is required with MicrosoftAppId: calendar links must reach "
                "the bot from people's browsers (e.g. https://moedebot.kommune.dk)"
            )

    def resolved_hash_secret(self, *, create: bool = True) -> bytes:
        """The key for pseudonyms: configured, or generated once into the data dir."""
        if self.hash_secret.get_secret_value():
            return self.hash_secret.get_secret_value().encode()
        path = self.data_dir / "hash_secret"
        if not path.exists() and create:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            try:  # created private and exclusively: two processes starting agree on one
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w", encoding="utf-8") as file:
                    file.write(secrets.token_urlsafe(32) + "\n")
        if not path.exists():
            raise FileNotFoundError(
                f"no hashing secret: set MOEDEBOT_HASH_SECRET or run where {path} exists"
            )
        return path.read_text(encoding="utf-8").strip().encode()

    def admin_token(self, *, create: bool = True) -> str:
        """The bearer token of the admin HTTP routes, derived from the hashing secret."""
        return pseudonym(self.resolved_hash_secret(create=create), "admin-api")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _clock_time_of(text: str) -> time:
    """`09:00`, `9.00` or `9` as a time of day."""
    hours, _, minutes = text.strip().replace(".", ":").partition(":")
    try:
        return time(int(hours), int(minutes or 0))
    except ValueError as error:
        raise ValueError(f"not a time of day: {text!r} (write e.g. 09:00)") from error
