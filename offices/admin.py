from django.contrib import admin

from offices.models import Office, Region, RoleAssignment


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["city", "name", "code"]
    search_fields = ["city", "name", "code"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "iso_code", "region", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["name", "code", "iso_code"]
    list_select_related = ["region"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "office", "region"]
    list_filter = ["role", "region"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "office__name"]
    list_select_related = ["user", "office", "region"]
    autocomplete_fields = ["user", "office"]
