from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from modeltranslation.admin import TranslationAdmin

from offices.models import Office, Region, RoleAssignment
from offices.permissions import can_manage_role
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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        actor = request.user

        class RoleForm(form):
            def clean(self):
                cleaned = super().clean()
                roles = {cleaned.get("role"), obj.role if obj is not None else None} - {None}
                if any(not can_manage_role(actor, role) for role in roles):
                    raise ValidationError(
                        _("Only a superuser may grant or revoke the administrator role.")
                    )
                return cleaned

        return RoleForm

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_manage_role(request.user, obj.role))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_manage_role(request.user, obj.role))

    def save_model(self, request, obj, form, change):
        role_assignment_save(assignment=obj, actor=request.user, request=request)

    def delete_model(self, request, obj):
        role_revoke(assignment=obj, actor=request.user, request=request)

    def delete_queryset(self, request, queryset):
        for assignment in queryset.select_related("user", "office", "region"):
            role_revoke(assignment=assignment, actor=request.user, request=request)
