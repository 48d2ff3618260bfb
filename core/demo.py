"""What every app's demo seeding shares: deterministic random draws and small number helpers.

Each app seeds its own demo data (offices/demo.py, deliverables/demo/, reporting/demo/,
plans/demo.py); the demo app runs them in order (demo/services.py).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from decimal import Decimal
from pathlib import Path
from typing import Any


class DemoRandom:
    """The random draws of one demo seed.

    `main` draws in sequence across the apps (the orchestrator passes the same object along, so
    the apps must draw from it in a fixed order); `part(...)` is a generator of its own for one
    part of the data, so what one office or indicator draws never shifts another's figures.
    """

    def __init__(self, seed: int):
        self.seed = seed
        self.main = random.Random(seed)  # noqa: S311 (demo data, not cryptography)

    def part(self, *parts: object) -> random.Random:
        """Return a generator seeded from the seed and the part's names."""
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))  # noqa: S311


def demo_data(path: Path) -> Any:
    """Return the parsed JSON of one of the apps' demo data files."""
    return json.loads(path.read_text(encoding="utf-8"))


def working_time(day: dt.date, rng: random.Random) -> dt.datetime:
    """Return a time during the working day of `day`, in UTC."""
    return dt.datetime(
        day.year, day.month, day.day, 7 + rng.randrange(10), rng.randrange(60), tzinfo=dt.UTC
    )


def split(total: int, weights: list[float]) -> list[int]:
    """Split a whole number into parts proportional to the weights that add up exactly."""
    scale = sum(weights)
    if total <= 0 or scale <= 0:
        return [0] * len(weights)
    raw = [total * w / scale for w in weights]
    parts = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def poisson(rng: random.Random, mean: float) -> int:
    """Draw a small count (Knuth's method; for means below about 20)."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def nice(value: float) -> int:
    """Round a figure the way people write targets (two significant figures above 100)."""
    if value < 100:
        return round(value)
    magnitude = 10 ** (math.floor(math.log10(value)) - 1)
    return round(value / magnitude) * magnitude


def four_places(value: float | int | Decimal | None) -> Decimal | None:
    """Return a figure as a Decimal with at most four places (the fields' scale), None as None."""
    return None if value is None else Decimal(str(round(value, 4)))
