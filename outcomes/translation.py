"""The framework's wording in English, French and Spanish (django-modeltranslation).

Each field named here gets a column per language (title_en, title_fr, title_es); reading
`title` gives the active language's text, or the English one when that is missing.
"""

from modeltranslation.translator import TranslationOptions, register, translator

from core.i18n import fallbacks_marked
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


@register(Strategy)
class StrategyTranslation(TranslationOptions):
    fields = ("title",)


@register(Outcome)
class OutcomeTranslation(TranslationOptions):
    fields = ("title", "short_title", "description")


@register(InstitutionalOutput)
class InstitutionalOutputTranslation(TranslationOptions):
    fields = ("title", "short_title")


@register([Marker, StrategicPriority])
class NameTranslation(TranslationOptions):
    fields = ("name",)


@register(Megatrend)
class MegatrendTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Framework)
class FrameworkTranslation(TranslationOptions):
    fields = ("name", "short_name")


@register([SdgTarget, GcmObjective])
class TitleTranslation(TranslationOptions):
    fields = ("title",)


# HQ see which texts still lack their French or Spanish translation (core/i18n.py).
for _model in translator.get_registered_models(abstract=False):
    if _model.__module__ == __name__.replace("translation", "models"):
        fallbacks_marked(_model, translator.get_options_for_model(_model).get_field_names())
