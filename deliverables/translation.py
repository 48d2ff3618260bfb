"""Deliverables' and indicators' wording in English, French and Spanish (modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register, translator

from core.i18n import fallbacks_marked
from deliverables.models import Deliverable, Indicator


@register(Deliverable)
class DeliverableTranslation(TranslationOptions):
    fields = ("title", "short_title")


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("name", "definition", "unit", "ordinal_levels")


# HQ see which texts still lack their French or Spanish translation (core/i18n.py).
for _model in translator.get_registered_models(abstract=False):
    if _model.__module__ == __name__.replace("translation", "models"):
        fallbacks_marked(_model, translator.get_options_for_model(_model).get_field_names())
