"""Pieces every app's models share."""

import decimal

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class TolerantDecimalField(models.DecimalField):
    """A DecimalField that reads back whatever its column holds.

    SQLite keeps any number written to a decimal column, even one beyond its digits (such as
    1e30, stored before the entry rules refused it); Django's reading would then fail on every
    page that loads the row. With room for any finite stored number, the row is read as it is,
    so pages can show it flagged (the entry rules still refuse such a figure on every path).
    """

    @cached_property
    def context(self) -> decimal.Context:
        return decimal.Context(prec=self.max_digits + 400)

    def deconstruct(self):
        # Only reading differs; the column is a plain decimal one, so migrations see no change.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs
