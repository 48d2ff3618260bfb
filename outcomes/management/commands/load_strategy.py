from pathlib import Path

from django.core.management.base import BaseCommand

from outcomes.services import DEFAULT_STRATEGY_FILE, strategy_load


class Command(BaseCommand):
    help = "Load the strategy's results framework, regions and headquarters from its data file."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_STRATEGY_FILE)

    def handle(self, *args, file: Path, **options):
        strategy, report = strategy_load(path=file)
        if report.nothing_changed:
            self.stdout.write(f"{strategy}: already up to date, nothing changed.")
            return
        for label, count in report.created.items():
            self.stdout.write(f"created {count} {label}")
        for label, count in report.changed.items():
            self.stdout.write(f"updated {count} {label}")
        self.stdout.write(self.style.SUCCESS(f"Loaded {strategy}."))
