"""What the plans' rows linked to one deliverable or institutional output share."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from deliverables.models import Deliverable
from outcomes.models import InstitutionalOutput


def links_one_result(name: str) -> models.CheckConstraint:
    """Link a row to exactly one deliverable or one institutional output (like an Indicator)."""
    return models.CheckConstraint(
        condition=(
            Q(deliverable__isnull=False, output__isnull=True)
            | Q(deliverable__isnull=True, output__isnull=False)
        ),
        name=name,
        violation_error_message=_("Choose either a deliverable or an institutional output."),
    )


class ResultLinkMixin:
    """What a row linked to a deliverable or an institutional output can say about it."""

    deliverable: Deliverable | None
    output: InstitutionalOutput | None

    @property
    def result(self) -> Deliverable | InstitutionalOutput | None:
        """Return the deliverable or institutional output this row belongs to."""
        return self.deliverable or self.output

    @property
    def result_code(self) -> str:
        """Return a short code: "A.i" for a deliverable, "O.b" for an institutional output."""
        if self.deliverable is not None:
            return self.deliverable.full_code
        if self.output is not None:
            return f"O.{self.output.code}"
        return ""
