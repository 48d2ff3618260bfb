"""DRF authentication with machine clients' API tokens: `Authorization: Bearer stk_…`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.services import api_token_find, api_token_touch
from offices.permissions import api_token_allows_method


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """A revoked or expired token is refused (401); a read-only token may not write (403)."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            secret = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from exc
        token = api_token_find(secret=secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.is_revoked:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        api_token_touch(token=token)
        if not api_token_allows_method(scope=token.scope, method=request.method):
            raise exceptions.PermissionDenied(_("This API token is read-only."))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'
