import time

from django.core.management.base import BaseCommand, CommandError

from demo.services import DEFAULT_OFFICES, DEFAULT_SEED, DemoReport, demo_seed
from offices.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Seed deterministic demo data: offices, indicators, targets, assignments, periods, "
        "updates in every status and the demo logins (password “demo”). Replaces the demo data "
        "of an earlier run; with --if-empty, does nothing when indicators already exist."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--offices",
            type=int,
            default=DEFAULT_OFFICES,
            help=f"Number of country offices (default {DEFAULT_OFFICES}; Kenya always included).",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"Random seed (default {DEFAULT_SEED})."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Leave the database alone when the strategy already has indicators.",
        )

    def handle(self, *args, offices: int, seed: int, if_empty: bool, **options):
        started = time.monotonic()
        try:
            report = demo_seed(offices=offices, seed=seed, if_empty=if_empty)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if report.skipped:
            self.stdout.write("Demo data already there: left as it is (run without --if-empty).")
        else:
            self._summary(report, time.monotonic() - started)
        self._logins(report)

    def _summary(self, report: DemoReport, seconds: float) -> None:
        replaced = " (replacing the earlier demo data)" if report.cleared else ""
        self.stdout.write(
            self.style.SUCCESS(f"Seeded demo data with seed {report.seed}{replaced}:")
        )
        for label, count in report.counts.items():
            self.stdout.write(f"  {count:>7,} {label}")
        statuses = ", ".join(f"{count:,} {status}" for status, count in report.statuses.items())
        self.stdout.write(f"  updates by status: {statuses}")
        if report.plans_seeded:
            self.stdout.write("  plans: seeded")
        self.stdout.write(f"  in {seconds:.1f} s")

    def _logins(self, report: DemoReport) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password “{DEMO_PASSWORD}”):")
        width = max(len(login.username) for login in report.logins)
        for login in report.logins:
            self.stdout.write(f"  {login.username:<{width}}  {login.role} — {login.scope}")
        self.stdout.write(
            "  Also field.<iso> (e.g. field.ug) for each country office, field.<dept> for HQ "
            "departments, reviewer.<region> (e.g. reviewer.bangkok) and reviewer.hq."
        )
