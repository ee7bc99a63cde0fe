"""MoedebotAdapter: the SDK's CloudAdapter with a leaner TurnContext on the hot path.

The stock TurnContext deep-copies every outgoing activity (~0.3 ms of a ~1 ms turn). A
shallow copy protects the caller's object just as well, because addressing a reply only
reassigns attributes on the copy; the rest of the method is the SDK's own logic.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ActivityEventNames,
    ActivityTypes,
    ConversationReference,
    DeliveryModes,
    ResourceResponse,
)
from botframework.connector import ConnectorClient
from botframework.connector.auth import ClaimsIdentity, ConnectorFactory, UserTokenClient


class LeanTurnContext(TurnContext):
    _reference: ConversationReference | None = None

    def _reply_reference(self) -> ConversationReference:
        # The inbound activity's addressing does not change during a turn: build it once.
        if self._reference is None:
            self._reference = TurnContext.get_conversation_reference(self.activity)
        return self._reference

    async def send_activities(self, activities: list[Activity]) -> list[ResourceResponse]:
        reference = _shallow_copy(self._reply_reference())
        if _is_continuation(self.activity):
            # The SDK gives a proactive turn a made-up activity id; replying to it would post
            # to a message that does not exist. A proactive message is a new message.
            reference.activity_id = None
        output = [
            _addressed(TurnContext.apply_conversation_reference(_shallow_copy(a), reference))
            for a in activities
        ]
        sent_non_trace = any(a.type != ActivityTypes.trace for a in output)

        async def logic() -> list[ResourceResponse]:
            if self.activity.delivery_mode == DeliveryModes.expect_replies:
                for activity in output:
                    self.buffered_reply_activities.append(activity)
                    if activity.type == ActivityTypes.invoke_response:
                        self.turn_state[TurnContext._INVOKE_RESPONSE_KEY] = activity
                responses = [ResourceResponse() for _ in output]
            else:
                responses = await self.adapter.send_activities(self, output)
            if sent_non_trace:
                self.responded = True
            return responses

        return await self._emit(self._on_send_activities, output, logic())

    async def _emit(self, plugins: list[Any], arg: Any, logic: Awaitable[Any]) -> Any:
        # The SDK's version chains the handlers through a closure that refers to itself: a
        # reference cycle holding the context, its activity and turn state after every send,
        # until the cycle collector runs. Under load that garbage piled up to collections of
        # up to 70 ms, the p99 of a turn. Same chain, no cycle.
        if plugins:
            try:
                await _run_handlers(self, list(plugins), 0, arg)
            except BaseException:
                if inspect.iscoroutine(logic):
                    logic.close()  # never awaited now: close it instead of a warning
                raise
        return await logic


async def _run_handlers(context: TurnContext, handlers: list[Any], i: int, arg: Any) -> None:
    if i < len(handlers):

        async def next_handler() -> None:
            await _run_handlers(context, handlers, i + 1, arg)

        await handlers[i](context, arg, next_handler)


def _shallow_copy(model: Any) -> Any:
    # copy.copy goes through __reduce_ex__ for every model; a new instance sharing the
    # attribute values is the same shallow copy at a tenth of the cost.
    clone = object.__new__(type(model))
    clone.__dict__.update(model.__dict__)
    return clone


def _is_continuation(activity: Activity) -> bool:
    return (
        activity.type == ActivityTypes.event
        and activity.name == ActivityEventNames.continue_conversation
    )


def _addressed(activity: Activity) -> Activity:
    if not getattr(activity, "type", None):
        activity.type = ActivityTypes.message
    if not activity.input_hint:
        activity.input_hint = "acceptingInput"
    activity.id = None
    return activity


class MoedebotAdapter(CloudAdapter):
    def _create_turn_context(  # the SDK's own method, with our context class
        self,
        activity: Activity,
        claims_identity: ClaimsIdentity,
        oauth_scope: str,
        connector_client: ConnectorClient,
        user_token_client: UserTokenClient,
        logic: Callable[[TurnContext], Awaitable[Any]],
        connector_factory: ConnectorFactory,
    ) -> TurnContext:
        context = LeanTurnContext(self, activity)
        context.turn_state[self.BOT_IDENTITY_KEY] = claims_identity
        context.turn_state[self.BOT_CONNECTOR_CLIENT_KEY] = connector_client
        context.turn_state[self.USER_TOKEN_CLIENT_KEY] = user_token_client
        context.turn_state[self.BOT_CALLBACK_HANDLER_KEY] = logic
        context.turn_state[self.CONNECTOR_FACTORY_KEY] = connector_factory
        context.turn_state[self.BOT_OAUTH_SCOPE_KEY] = oauth_scope
        return context
