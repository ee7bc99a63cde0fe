"""Outbound calls to the Bot Framework connector: token, pacing, retries, typed errors."""

from .client import ConnectorConfig, MoedebotConnectorClient, MoedebotConnectorFactory
from .conversations import ConversationsOperations
from .errors import (
    BotRemovedError,
    ConversationForbidden,
    ConversationNotFound,
    DeliveryError,
    MissingServiceUrl,
    TokenAcquisitionError,
)
from .pacer import TEAMS_CONVERSATION_LIMITS, ConversationPacer
from .retry import RETRYABLE_STATUSES, RetryPolicy, parse_retry_after
from .stats import DeliveryStats
from .token_provider import AadTokenProvider
from .transport import ConnectorTransport

__all__ = [
    "RETRYABLE_STATUSES",
    "TEAMS_CONVERSATION_LIMITS",
    "AadTokenProvider",
    "BotRemovedError",
    "ConnectorConfig",
    "ConnectorTransport",
    "ConversationForbidden",
    "ConversationNotFound",
    "ConversationPacer",
    "ConversationsOperations",
    "DeliveryError",
    "DeliveryStats",
    "MissingServiceUrl",
    "MoedebotConnectorClient",
    "MoedebotConnectorFactory",
    "RetryPolicy",
    "TokenAcquisitionError",
    "parse_retry_after",
]
