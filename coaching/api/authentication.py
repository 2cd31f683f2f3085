"""The API's token authentication: knox's, without its per-request scan of the user's tokens.

knox (5.1) reads every token of the user on every authenticated request, to delete the expired
ones among them (``TokenAuthentication._cleanup_token``): one query per request, for a cleanup
that only matters now and then. Here a request checks only its own token's expiry (an expired
token is still answered 401 and deleted), and the user's other expired tokens are deleted when
they sign in again (``coaching.api.auth.TokenLoginView``). The token's user comes with their
coach or client row (``coaching.access.coach_for`` / ``client_for`` read them on every call), in
the same query. Everything else is knox's: the digest check, the renewal on use
(``REST_KNOX["AUTO_REFRESH"]``, written at most once per ``MIN_REFRESH_INTERVAL``), the 401s.
"""

from __future__ import annotations

import binascii
from hmac import compare_digest
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate_credentials(self, token: bytes) -> tuple[Any, Any]:
        msg = _("Invalid token.")
        key = token.decode("utf-8")
        candidates = get_token_model().objects.filter(token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH])
        for auth_token in candidates.select_related("user", "user__coach", "user__client_profile"):
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(key)
            except (TypeError, binascii.Error) as exc:
                raise exceptions.AuthenticationFailed(msg) from exc
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(msg)

    def _cleanup_token(self, auth_token: Any) -> bool:
        """Whether the token has expired (and is deleted now); the user's other tokens are not read."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False
