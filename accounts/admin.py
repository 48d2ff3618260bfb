from django.contrib import admin

from accounts.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only here: tokens are issued and revoked on the API clients page (audited)."""

    list_display = ["name", "prefix", "scope", "office", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["scope"]
    search_fields = ["name", "prefix"]
    list_select_related = ["office"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
