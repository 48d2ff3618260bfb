"""Reads of the accounts app."""

from django.db.models import QuerySet

from accounts.models import ApiToken


def api_tokens_list() -> QuerySet[ApiToken]:
    """Every token, newest first, with who created and revoked it."""
    return ApiToken.objects.select_related("office", "created_by", "revoked_by", "user")
