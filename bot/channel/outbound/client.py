"""A light ConnectorClient stand-in per service url, and the ConnectorFactory that hands it out."""

from __future__ import annotations

from dataclasses import dataclass

from botframework.connector.auth import ConnectorFactory

from .conversations import ConversationsOperations
from .errors import MissingServiceUrl
from .transport import ConnectorTransport


@dataclass(frozen=True)
class ConnectorConfig:
    """What code reading `connector_client.config` may look at; there are no msrest credentials."""

    base_url: str
    credentials: None = None


class MoedebotConnectorClient:
    """What `turn_state[BOT_CONNECTOR_CLIENT_KEY]` holds: `.conversations` and `.config.base_url`.

    TeamsInfo calls that build an msrest TeamsConnectorClient from `config.credentials`
    (team details, channels, meeting participant/info, notifications) are not supported.
    """

    def __init__(self, transport: ConnectorTransport, service_url: str) -> None:
        if not service_url:
            raise MissingServiceUrl("a connector client needs the activity's serviceUrl")
        self.config = ConnectorConfig(base_url=service_url)
        self.conversations = ConversationsOperations(transport, service_url)

    async def close(self) -> None:
        """Nothing to release: the ClientSession is shared and owned by the app."""

    async def __aenter__(self) -> MoedebotConnectorClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


class MoedebotConnectorFactory(ConnectorFactory):
    """Hands out (cached) connector clients bound to a service url; never guesses a url."""

    # Service urls are a handful of regional Bot Framework endpoints; the cap only guards
    # against an unbounded dict if something feeds arbitrary urls through.
    _MAX_CACHED = 256

    def __init__(self, transport: ConnectorTransport) -> None:
        self._transport = transport
        self._clients: dict[str, MoedebotConnectorClient] = {}

    @property
    def transport(self) -> ConnectorTransport:
        return self._transport

    async def create(
        self, service_url: str, audience: str | None = None
    ) -> MoedebotConnectorClient:
        return self.client_for(service_url)

    def client_for(self, service_url: str | None) -> MoedebotConnectorClient:
        if not service_url or not service_url.strip():
            # The stock SDK would fall back to https://api.botframework.com here.
            raise MissingServiceUrl("refusing to create a connector client without a serviceUrl")
        client = self._clients.get(service_url)
        if client is None:
            if len(self._clients) >= self._MAX_CACHED:
                self._clients.clear()
            client = self._clients[service_url] = MoedebotConnectorClient(
                self._transport, service_url
            )
        return client
