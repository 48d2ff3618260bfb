"""The username/password token endpoint, for local accounts: POST a username and password,
get the user's token.

Authentication goes through `django.contrib.auth.authenticate` with the request, so
django-axes counts failures and locks a username out after too many, as on the login page,
and LOCAL_LOGIN=false refuses everyone but superusers, as there. People who sign in through
the organisation's provider have no password; machine clients get tokens from HQ instead
(`accounts.models.ApiToken`).
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.parsers import FormParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditEvent
from audit.services import audit_record
from core.api import ErrorSerializer, api_exception_handler, error_body
from core.parsers import LimitedJSONParser


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Send it as `Authorization: Token <token>`."))


class TokenObtainView(APIView):
    """Exchange a username and password for the user's API token (created on first use)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    parser_classes = [LimitedJSONParser, FormParser]
    throttle_classes: list = []

    def get_exception_handler(self):
        return api_exception_handler

    @extend_schema(
        summary="Get an API token",
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Wrong username or password."),
            403: OpenApiResponse(
                ErrorSerializer, description="Locked out after too many failed attempts."
            ),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request=request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            return Response(
                error_body(
                    _("Too many failed attempts: this account is locked for a while."),
                    "locked_out",
                ),
                status=status.HTTP_403_FORBIDDEN,
            )
        if user is None or not user.is_active:
            return Response(
                error_body(
                    _("Unable to sign in with these credentials."),
                    "invalid",
                    errors={"non_field_errors": [_("Unable to sign in with these credentials.")]},
                ),
                status=status.HTTP_400_BAD_REQUEST,
            )
        token, created = Token.objects.get_or_create(user=user)
        audit_record(
            actor=user,
            action=AuditEvent.Action.SIGN_IN,
            target=user.get_username(),
            details={"method": "api token endpoint", "token_created": created},
            request=request,
        )
        return Response({"token": token.key})
