"""A UserTokenClient that builds nothing and refuses every call: Mødebot uses no user OAuth."""

from __future__ import annotations

from typing import NoReturn

from botframework.connector.auth import UserTokenClient


class UnsupportedUserTokenClient(UserTokenClient):
    """Cheap stand-in so the adapter does not build an msrest token client on every turn."""

    def _refuse(self) -> NoReturn:
        raise NotImplementedError("user OAuth (the Bot Framework token service) is not supported")

    async def get_user_token(self, user_id, connection_name, channel_id, magic_code):
        self._refuse()

    async def get_sign_in_resource(self, connection_name, activity, final_redirect):
        self._refuse()

    async def sign_out_user(self, user_id, connection_name, channel_id):
        self._refuse()

    async def get_token_status(self, user_id, channel_id, include_filter):
        self._refuse()

    async def get_aad_tokens(self, user_id, connection_name, resource_urls, channel_id):
        self._refuse()

    async def exchange_token(self, user_id, connection_name, channel_id, exchange_request):
        self._refuse()
