"""Region and office names in English, French and Spanish (modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from core.i18n import fallbacks_marked
from offices.models import Office, Region


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name", "city")


@register(Office)
class OfficeTranslation(TranslationOptions):
    fields = ("name",)


# HQ see which region names still lack their translation (core/i18n.py); office names are
# mostly countries' and cities' own names, shown as they are without a mark.
fallbacks_marked(Region, ("name", "city"))
