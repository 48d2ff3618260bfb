from django.contrib import admin

from deliverables.models import Assignment, Deliverable, Indicator, IndicatorTarget


@admin.register(Deliverable)
class DeliverableAdmin(admin.ModelAdmin):
    list_display = ["full_code", "title", "outcome"]
    list_filter = ["outcome__strategy", "outcome"]
    search_fields = ["code", "title"]
    list_select_related = ["outcome"]


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0
    autocomplete_fields = ["office"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "measure", "cumulative", "direction", "deliverable", "output"]
    list_filter = ["strategy", "measure", "cumulative", "direction", "markers", "is_active"]
    search_fields = ["code", "name", "definition"]
    list_select_related = ["deliverable__outcome", "output"]
    filter_horizontal = ["markers", "priorities", "sdg_targets", "gcm_objectives"]
    inlines = [IndicatorTargetInline]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "office", "value"]
    list_filter = ["year"]
    search_fields = ["indicator__code", "office__name"]
    list_select_related = ["indicator", "office"]
    autocomplete_fields = ["indicator", "office"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["office", "indicator", "is_active"]
    list_filter = ["is_active", "office__region"]
    search_fields = ["office__name", "indicator__code", "indicator__name"]
    list_select_related = ["office", "indicator"]
    autocomplete_fields = ["indicator", "office"]
