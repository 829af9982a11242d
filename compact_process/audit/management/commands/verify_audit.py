"""Walk the audit trail's hash chain and say whether it is intact.

    python manage.py verify_audit                # the whole chain (the default)
    python manage.py verify_audit --incremental  # from the last intact run on (as beat)

Prints one line: OK with the number of events (exit 0), or the first broken link, the
event's id, sequence and action and what is wrong (exit 1). The result is stored for
the operations page."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from compact_process.audit import verification


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; exit 1 at the first broken link."

    def add_arguments(self, parser):
        how = parser.add_mutually_exclusive_group()
        how.add_argument("--full", action="store_true", help="Walk the whole chain (the default).")
        how.add_argument(
            "--incremental",
            action="store_true",
            help="Only the events written since the last intact run.",
        )

    def handle(self, *args, full: bool = False, incremental: bool = False, **options):
        outcome = verification.run(full=not incremental)
        line = verification.describe(outcome)
        if outcome.ok:
            self.stdout.write(line)
            return
        self.stderr.write(line)
        sys.exit(1)
