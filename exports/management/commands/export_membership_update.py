"""Write a membership update file from the command line (the same service as the web page)."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from exports.services import ExportError
from exports.services.jobs import FORMATS, membership_update_render
from outcomes.models import Strategy
from outcomes.selectors import strategy_current


class Command(BaseCommand):
    help = (
        "Write the membership update for a range of periods as PDF, XLSX, CSV or IATI XML, "
        "e.g. --from 2019-Q1 --to 2023-Q4 --format xlsx --output update.xlsx"
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="period_from", required=True, help="e.g. 2019-Q1")
        parser.add_argument("--to", dest="period_to", required=True, help="e.g. 2023-Q4")
        parser.add_argument("--format", required=True, choices=list(FORMATS))
        parser.add_argument("--output", required=True, help="File to write")
        parser.add_argument("--strategy", help="Strategy code (default: the current strategy)")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the file (default: %(default)s)",
        )

    def handle(self, *args, period_from, period_to, format, output, strategy, language, **options):
        found = Strategy.objects.filter(code=strategy).first() if strategy else strategy_current()
        if found is None:
            raise CommandError("No such strategy; run `manage.py load_strategy` first.")
        started = time.monotonic()

        def progress(percent: int, message: str) -> None:
            if options.get("verbosity", 1) > 1:
                self.stdout.write(f"  {percent:>3}% {message}")

        try:
            _name, data = membership_update_render(
                strategy=found,
                period_from=period_from,
                period_to=period_to,
                format=format,
                language=language,
                progress=progress,
            )
        except ExportError as error:
            raise CommandError(error.message) from error
        path = Path(output)
        path.write_bytes(data)
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {path} ({format}, {language}, {len(data):,} bytes) "
                f"for {period_from} – {period_to} "
                f"in {seconds:.2f} s"
            )
        )
