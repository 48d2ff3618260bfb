"""Deterministic demo data (`manage.py seed_demo`); other apps hook in through DEMO_EXTENSIONS."""

from demo.seed.seed import (
    DEFAULT_OFFICES,
    DEFAULT_SEED,
    DEMO_EXTENSIONS,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DemoExtension,
    DemoLogin,
    DemoReport,
    demo_clear,
    demo_is_seeded,
    demo_seed,
)

__all__ = [
    "DEFAULT_OFFICES",
    "DEFAULT_SEED",
    "DEMO_EXTENSIONS",
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "DemoExtension",
    "DemoLogin",
    "DemoReport",
    "demo_clear",
    "demo_is_seeded",
    "demo_seed",
]
