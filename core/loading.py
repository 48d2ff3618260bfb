"""Idempotent loading of reference data: create or bring rows up to date, and say what changed."""

from dataclasses import dataclass, field

from django.db import models


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


def row_upsert(model: type[models.Model], report: LoadReport, lookup: dict, values: dict):
    """Create or bring up to date one row, saving only when something differs."""
    label = str(model._meta.verbose_name_plural)
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        report.record(label, created=True, changed=False)
        return obj
    differs = {k: v for k, v in values.items() if getattr(obj, k) != v}
    if differs:
        for key, value in differs.items():
            setattr(obj, key, value)
        obj.save(update_fields=[*differs, "updated_at"])
        report.record(label, created=False, changed=True)
    return obj
