"""Region and office names in English, French and Spanish (modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register, translator

from core.i18n import fallbacks_marked
from offices.models import Office, Region


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name", "city")


@register(Office)
class OfficeTranslation(TranslationOptions):
    fields = ("name",)


# HQ see which texts still lack their French or Spanish translation (core/i18n.py).
for _model in translator.get_registered_models(abstract=False):
    if _model.__module__ == __name__.replace("translation", "models"):
        fallbacks_marked(_model, translator.get_options_for_model(_model).get_field_names())
