"""`manage.py rollup --full` rebuilds every roll-up (`--if-empty`: only when there are
indicators but no roll-up yet, e.g. after an upgrade); `--indicator CODE --period CODE`
recomputes what a change to that indicator and period touches."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from deliverables.models import Indicator
from outcomes.models import Strategy
from outcomes.selectors import strategy_current
from reporting.models import ReportingPeriod
from rollups.models import Rollup
from rollups.services import rollup_rebuild_full, rollup_recompute


class Command(BaseCommand):
    help = "Recompute roll-ups: all of them (--full) or one indicator and period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true", help="Rebuild every roll-up.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Rebuild only when indicators exist but no roll-up row does.",
        )
        parser.add_argument("--strategy", help="Strategy code (default: every strategy).")
        parser.add_argument("--indicator", help="Indicator code, e.g. A.i.1.")
        parser.add_argument("--period", help="Period code, e.g. 2023-Q4.")

    def handle(self, *args, **options) -> None:
        strategy = None
        if options["strategy"]:
            strategy = Strategy.objects.filter(code=options["strategy"]).first()
            if strategy is None:
                raise CommandError(f"No strategy with code {options['strategy']!r}.")
        if options["if_empty"]:
            if Rollup.objects.exists() or not Indicator.objects.exists():
                self.stdout.write("Roll-ups already there (or nothing to roll up): left alone.")
                return
            options["full"] = True
        if options["full"]:
            report = rollup_rebuild_full(strategy=strategy)
            scopes = ", ".join(f"{k}: {v}" for k, v in sorted(report.by_scope.items()))
            self.stdout.write(
                f"Rebuilt {report.rows} roll-up rows ({scopes}) for {report.indicators} "
                f"indicators in {report.seconds:.2f} s."
            )
            return
        if not (options["indicator"] and options["period"]):
            raise CommandError("Give --full, or both --indicator CODE and --period CODE.")
        strategy = strategy or strategy_current()
        indicator = Indicator.objects.filter(strategy=strategy, code=options["indicator"]).first()
        period = ReportingPeriod.objects.filter(strategy=strategy, code=options["period"]).first()
        if indicator is None or period is None:
            raise CommandError("Unknown indicator or period code for this strategy.")
        started = time.perf_counter()
        rows = rollup_recompute(indicator=indicator, period=period)
        self.stdout.write(
            f"Recomputed {rows} roll-up rows for {indicator.code} from {period.code} "
            f"in {1000 * (time.perf_counter() - started):.0f} ms."
        )
