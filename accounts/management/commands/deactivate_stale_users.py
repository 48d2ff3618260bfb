from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.services import users_deactivate_stale


class Command(BaseCommand):
    help = (
        "Deactivate people who have not signed in for --days days (default STALE_USER_DAYS). "
        "Superusers and machine clients are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)
        parser.add_argument("--dry-run", action="store_true", help="List them, change nothing.")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.STALE_USER_DAYS if days is None else days
        if days <= 0:
            raise CommandError("--days (or STALE_USER_DAYS) must be at least 1.")
        usernames = users_deactivate_stale(days=days, dry_run=dry_run)
        verb = "Would deactivate" if dry_run else "Deactivated"
        self.stdout.write(f"{verb} {len(usernames)} user(s) not seen for {days} days.")
        for username in usernames:
            self.stdout.write(f"  {username}")
