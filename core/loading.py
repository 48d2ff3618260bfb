"""Idempotent loading of reference data: create or bring rows up to date, and say what changed."""

from dataclasses import dataclass, field

from django.db import models

# The languages the data files give besides English (the strategy's own language).
TRANSLATED_LANGUAGES = ("fr", "es")


@dataclass
class LoadReport:
    """What a load created and changed, per model (rows already as in the file count as neither)."""

    created: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)

    def record(self, label: str, *, created: bool, changed: bool) -> None:
        if created:
            self.created[label] = self.created.get(label, 0) + 1
        elif changed:
            self.changed[label] = self.changed.get(label, 0) + 1

    @property
    def nothing_changed(self) -> bool:
        return not self.created and not self.changed


def translated(item: dict, *names: str) -> tuple[dict, dict]:
    """A data file item's text in every language, by column, as (values, fill) for row_upsert.

    `title` is the English text (title_en, always brought up to date); `title_fr` and
    `title_es`, when the file has them, only fill a translation the row does not have yet.
    """
    values: dict = {}
    fill: dict = {}
    for name in names:
        values[f"{name}_en"] = item.get(name, "")
        for language in TRANSLATED_LANGUAGES:
            text = item.get(f"{name}_{language}")
            if text:
                fill[f"{name}_{language}"] = text
    return values, fill


def row_upsert(
    model: type[models.Model],
    report: LoadReport,
    lookup: dict,
    values: dict,
    *,
    fill: dict | None = None,
):
    """Create or bring up to date one row, saving only when something differs.

    `fill` values are written only where the row has none yet (e.g. translations HQ may have
    corrected in the admin since: a new load does not undo the correction).
    """
    label = str(model._meta.verbose_name_plural)
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values, **(fill or {}))
        report.record(label, created=True, changed=False)
        return obj
    differs = {k: v for k, v in values.items() if getattr(obj, k) != v}
    differs.update({k: v for k, v in (fill or {}).items() if v and not getattr(obj, k)})
    if differs:
        for key, value in differs.items():
            setattr(obj, key, value)
        obj.save(update_fields=[*differs, "updated_at"])
        report.record(label, created=False, changed=True)
    return obj
