"""Reads of background jobs."""

from __future__ import annotations

from django.db.models import QuerySet

from jobs.models import Job


def jobs_of_kind(*, kind: str, params: dict | None = None) -> QuerySet[Job]:
    """Return the jobs of one kind (optionally matching some parameters), newest first, with who
    asked for them."""
    jobs = Job.objects.filter(kind=kind).select_related("created_by")
    for key, value in (params or {}).items():
        jobs = jobs.filter(**{f"params__{key}": value})
    return jobs.order_by("-created_at", "-pk")
