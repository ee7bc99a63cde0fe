"""A UserTokenClient that builds nothing and refuses every call: Mødebot uses no user OAuth."""

from __future__ import annotations

from typing import NoReturn

from botbuilder.schema import Activity
from botframework.connector.auth import UserTokenClient
from botframework.connector.token_api.models import TokenExchangeRequest


class UnsupportedUserTokenClient(UserTokenClient):
    """Cheap stand-in so the adapter does not build an msrest token client on every turn."""

    def _refuse(self) -> NoReturn:
        raise NotImplementedError("user OAuth (the Bot Framework token service) is not supported")

    async def get_user_token(
        self, user_id: str, connection_name: str, channel_id: str, magic_code: str
    ) -> NoReturn:
        self._refuse()

    async def get_sign_in_resource(
        self, connection_name: str, activity: Activity, final_redirect: str
    ) -> NoReturn:
        self._refuse()

    async def sign_out_user(self, user_id: str, connection_name: str, channel_id: str) -> NoReturn:
        self._refuse()

    async def get_token_status(
        self, user_id: str, channel_id: str, include_filter: str
    ) -> NoReturn:
        self._refuse()

    async def get_aad_tokens(
        self, user_id: str, connection_name: str, resource_urls: list[str], channel_id: str
    ) -> NoReturn:
        self._refuse()

    async def exchange_token(
        self,
        user_id: str,
        connection_name: str,
        channel_id: str,
        exchange_request: TokenExchangeRequest,
    ) -> NoReturn:
        self._refuse()
