"""What every form of the site shares."""

from __future__ import annotations

from typing import Any


class ErrorMarksMixin:
    """Mark the inputs of fields in error with Bootstrap's `is-invalid` class (Django itself
    adds aria-invalid and aria-describedby pointing at `<id>_error`, the message's element)."""

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            form_field = self.fields.get(name)  # type: ignore[attr-defined]
            if form_field is None:
                continue
            css = form_field.widget.attrs.get("class", "")
            if "is-invalid" not in css.split():
                form_field.widget.attrs["class"] = f"{css} is-invalid".strip()
