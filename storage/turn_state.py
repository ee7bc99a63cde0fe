"""Bot state for one turn: read once (all scopes in one query), written only when it changed.

The SDK's BotState reads storage again whenever the cached state is empty (so a new user
costs a query per property access) and writes a scope whenever a property accessor created a
default value, although nothing was said. Here every scope is loaded in one read at the start
of the turn, and saved only when its content differs from what was read, with empty
defaults counting as nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botbuilder.core import (
    BotState,
    PrivateConversationState,
    Storage,
    TurnContext,
    UserState,
)
from botbuilder.core.bot_state import CachedBotState
from botbuilder.dialogs import DialogState

from storage import state_codec


def fingerprint(state: dict[str, Any] | None) -> str:
    """The state as it would be stored, leaving out the eTag and properties that are empty."""
    # Most turns hold nothing but defaults (a new user, no dialog): no encoding needed.
    present = {k: v for k, v in (state or {}).items() if k != "e_tag" and not _blank(v)}
    if not present:
        return ""
    encoded = state_codec.encode(present)
    if isinstance(encoded, dict) and "$t" not in encoded:
        encoded = {k: v for k, v in encoded.items() if not _empty(v)}
    return state_codec.dumps_plain(encoded) if encoded else ""


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, dict | list | tuple | str):
        return not value
    return isinstance(value, DialogState) and not value.dialog_stack


def _empty(encoded: Any) -> bool:
    if encoded is None or encoded == {} or encoded == []:
        return True
    if isinstance(encoded, dict) and encoded.get("$t") == "obj":
        return all(_empty(v) for v in encoded.get("v", {}).values())
    return False


class _Cached(CachedBotState):
    def __init__(self, state: dict[str, Any] | None = None) -> None:
        self.state = state if state is not None else {}
        self.hash = self.compute_hash(self.state)

    def compute_hash(self, obj: object) -> str:
        return fingerprint(obj)  # type: ignore[arg-type]


class _LoadOnce:
    """Mixin for BotState: an empty cached state is still a loaded state."""

    _storage: Storage
    _context_service_key: str

    async def load(self, turn_context: TurnContext, force: bool = False) -> None:
        if force or self.get_cached_state(turn_context) is None:  # type: ignore[attr-defined]
            key = self.get_storage_key(turn_context)  # type: ignore[attr-defined]
            items = await self._storage.read([key])
            turn_context.turn_state[self._context_service_key] = _Cached(items.get(key))

    def seed(self, turn_context: TurnContext, state: dict[str, Any] | None) -> None:
        turn_context.turn_state[self._context_service_key] = _Cached(state)


class TurnUserState(_LoadOnce, UserState):
    """Per user, across conversations: preferences such as the chosen language."""


class TurnDialogState(_LoadOnce, PrivateConversationState):
    """Per user per conversation: a dialog in a group chat belongs to the one who started it."""


class TurnStates:
    """Loads every scope with one storage read and saves the changed ones with one write."""

    def __init__(self, storage: Storage, scopes: Sequence[BotState]) -> None:
        self._storage = storage
        self._scopes = tuple(scopes)

    async def load(self, turn_context: TurnContext) -> None:
        keys = [scope.get_storage_key(turn_context) for scope in self._scopes]
        found = await self._storage.read([key for key in keys if key])
        for scope, key in zip(self._scopes, keys, strict=True):
            if key:
                scope.seed(turn_context, found.get(key))

    async def save(self, turn_context: TurnContext) -> None:
        changed: dict[str, Any] = {}
        cached_states = []
        for scope in self._scopes:
            cached = scope.get_cached_state(turn_context)
            if cached is not None and cached.is_changed:
                changed[scope.get_storage_key(turn_context)] = cached.state
                cached_states.append(cached)
        if not changed:
            return
        await self._storage.write(changed)
        for cached in cached_states:
            cached.hash = cached.compute_hash(cached.state)
