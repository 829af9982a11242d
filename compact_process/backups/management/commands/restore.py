"""Restore a backup into a fresh (empty) database and an empty media folder.

    python manage.py restore /srv/backups/compact-process-20261201T020000Z.tar
    python manage.py restore ARCHIVE --noinput            # no question (scripts)
    python manage.py restore ARCHIVE --replace            # empty the target first

DATABASE_URL and MEDIA_ROOT (or VAR_DIR) name the target. On PostgreSQL, run it as the
migration role (it creates the tables); the web app, the workers and beat stay stopped
until it has finished. Afterwards: the rows are checked against the manifest, the e-mails
that were waiting or being sent are held for a person (Operations), what beat would do
first is done (its e-mails held too), and the audit chain is verified. Exit 1 if any check
fails. See compact_process/backups/services.py and README.md, "Backups and restore"."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from compact_process.audit import verification
from compact_process.backups import services


class Command(BaseCommand):
    help = "Restore a backup into an empty database and media folder; verify the audit trail."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The archive `manage.py backup` wrote.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Drop every table of the target database and empty the media folder first.",
        )

    def handle(self, *args, archive: Path, interactive: bool, replace: bool, **options):
        try:
            self._restore(archive, interactive=interactive, replace=replace)
        except services.BackupError as error:
            raise CommandError(str(error)) from error

    def _restore(self, archive: Path, *, interactive: bool, replace: bool) -> None:
        manifest = services.read_manifest(archive)
        if problems := services.target_problems(manifest):
            raise CommandError("\n".join(problems))
        db = connection.settings_dict
        target = f"{connection.vendor} database {db['NAME']}" + (
            f" on {db['HOST']}" if db.get("HOST") else ""
        )
        occupied = services.occupied()
        if occupied and not replace:
            raise CommandError(
                "The target is not empty: "
                + "; ".join(occupied)
                + ". Restore into a fresh database and an empty media folder, or pass "
                "--replace to throw away what is there."
            )
        self.stdout.write(
            f"Restoring the backup taken at {manifest['taken_at']} "
            f"(version {manifest['app_version']})\n  into the {target}\n"
            f"  and the media folder {settings.MEDIA_ROOT}."
        )
        if occupied:
            self.stdout.write(self.style.WARNING("Replacing: " + "; ".join(occupied) + "."))
        if interactive:
            answer = input("This cannot be undone. Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        services.load(archive, manifest, replace=bool(occupied))
        self.stdout.write("Loaded the database and the media files.")
        outcome = services.after_load(manifest)
        self._report(outcome)
        if not outcome.ok:
            raise CommandError(
                "The restore is NOT sound (see above). The e-mails are held; do not start "
                "the application on this database before the cause is understood."
            )
        self.stdout.write(self.style.SUCCESS("Restore complete."))

    def _report(self, outcome: services.Restored) -> None:
        write = self.stdout.write
        if outcome.count_mismatches:
            for table, (expected, found) in sorted(outcome.count_mismatches.items()):
                self.stderr.write(f"ROWS DIFFER: {table}: {expected} in the backup, {found} here.")
        else:
            tables = len(outcome.manifest["counts"])
            write(f"Rows: every table has the rows the manifest lists ({tables} tables).")
        if outcome.migrated:
            write(f"Applied {len(outcome.migrated)} migration(s): {', '.join(outcome.migrated)}.")
        write(
            'E-mails held for a person\'s decision (Operations, "Held after a restore"): '
            f"{outcome.held} waiting or being sent at the backup, "
            f"{outcome.held_after_catch_up} written by the catch-up."
        )
        write(
            f"Catch-up: {len(outcome.closed_reviews)} review(s) closed, "
            f"{outcome.reminders} reminder(s) written."
        )
        line = verification.describe(outcome.audit)
        if not outcome.audit.ok:
            self.stderr.write(line)
        elif not outcome.audit_matches:
            self.stderr.write(
                "BROKEN: the audit trail does not reach the end the manifest names "
                f"(sequence {outcome.manifest['audit']['last_sequence']})."
            )
        else:
            write(line.replace("OK:", "Audit: OK:", 1) + " It includes the backup's last event.")
