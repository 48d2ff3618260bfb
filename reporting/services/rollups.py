"""Roll-ups (DOMAIN.md, "Roll-up rules"). The engine is being written; this keeps the workflow's
after-commit hook importable until it lands."""


def rollup_recompute_by_ids(*, indicator_id: int, period_id: int) -> None:
    return None
