from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from offices.models import Office, Region, RoleAssignment
from offices.services import role_assignment_save, role_revoke


@admin.register(Region)
class RegionAdmin(TranslationAdmin):
    list_display = ["city", "name", "code"]
    search_fields = ["city", "name", "code"]


@admin.register(Office)
class OfficeAdmin(TranslationAdmin):
    list_display = ["name", "kind", "iso_code", "region", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["name", "code", "iso_code"]
    list_select_related = ["region"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    """Role changes go through the offices services, so each one is in the audit log."""

    list_display = ["user", "role", "office", "region"]
    list_filter = ["role", "region"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "office__name"]
    list_select_related = ["user", "office", "region"]
    autocomplete_fields = ["user", "office"]

    def save_model(self, request, obj, form, change):
        role_assignment_save(assignment=obj, actor=request.user, request=request)

    def delete_model(self, request, obj):
        role_revoke(assignment=obj, actor=request.user, request=request)

    def delete_queryset(self, request, queryset):
        for assignment in queryset.select_related("user", "office", "region"):
            role_revoke(assignment=assignment, actor=request.user, request=request)
