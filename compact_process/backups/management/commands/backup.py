"""Take a backup: the database and MEDIA_ROOT at one moment, in one archive.

    python manage.py backup                        # into BACKUP_DIR, named by the time
    python manage.py backup --output /srv/backups/compact.tar

Prints the archive's path and what it holds; exit 1 if it could not be taken (nothing is
left behind but the error). See compact_process/backups/services.py and README.md,
"Backups and restore"."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compact_process.backups import services


class Command(BaseCommand):
    help = "Back up the database and MEDIA_ROOT at one moment, into one archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="The archive to write (default: BACKUP_DIR/<time>.tar)."
        )

    def handle(self, *args, output: Path | None = None, **options):
        try:
            taken = services.take(output=output)
        except services.BackupError as error:
            raise CommandError(str(error)) from error
        manifest = taken.manifest
        audit = manifest["audit"]
        self.stdout.write(
            f"Backup written: {taken.path}\n"
            f"  taken at {manifest['taken_at']} ({manifest['vendor']}, "
            f"version {manifest['app_version']})\n"
            f"  {sum(manifest['counts'].values())} rows in {len(manifest['counts'])} tables, "
            f"{len(manifest['media']['files'])} media files\n"
            f"  audit chain ends at sequence {audit['last_sequence']} ({audit['last_hash'] or '-'})"
        )
        if taken.missing_pdfs:
            self.stdout.write(
                f"  {len(taken.missing_pdfs)} rendered PDF(s) named by the database were "
                "not in MEDIA_ROOT (superseded meanwhile): they are rendered again when asked for."
            )
