from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the application, never edited."""

    list_display = ["created_at", "actor_label", "action", "target", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
