from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from outcomes.models import (
    Framework,
    GcmObjective,
    InstitutionalOutput,
    Marker,
    Megatrend,
    Outcome,
    SdgTarget,
    StrategicPriority,
    Strategy,
)


@admin.register(Strategy)
class StrategyAdmin(TranslationAdmin):
    list_display = ["title", "code", "start_year", "end_year", "is_current"]
    list_filter = ["is_current"]
    search_fields = ["title", "code"]


class StrategyPartAdmin(TranslationAdmin):
    list_display = ["code", "__str__", "strategy", "order"]
    list_filter = ["strategy"]
    ordering = ["strategy", "order"]


@admin.register(Outcome)
class OutcomeAdmin(StrategyPartAdmin):
    search_fields = ["code", "title"]


@admin.register(InstitutionalOutput)
class InstitutionalOutputAdmin(StrategyPartAdmin):
    search_fields = ["code", "title"]


@admin.register(Marker, StrategicPriority, Megatrend)
class NamedPartAdmin(StrategyPartAdmin):
    search_fields = ["code", "name"]


@admin.register(Framework)
class FrameworkAdmin(StrategyPartAdmin):
    list_display = ["code", "name", "short_name", "strategy", "order"]
    search_fields = ["code", "name", "short_name"]


@admin.register(SdgTarget)
class SdgTargetAdmin(TranslationAdmin):
    list_display = ["code", "goal", "title"]
    list_filter = ["goal"]
    search_fields = ["code", "title"]


@admin.register(GcmObjective)
class GcmObjectiveAdmin(TranslationAdmin):
    list_display = ["number", "title"]
    search_fields = ["title"]
