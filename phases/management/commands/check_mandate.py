"""Print every mandate rule with its OP, status and figures; exit 1 on any violation."""

import json

from django.core.management.base import BaseCommand, CommandError

from phases import mandate, selectors
from phases.models import Process

STYLE = {
    mandate.OK: "SUCCESS",
    mandate.PENDING: "HTTP_INFO",
    mandate.WARNING: "WARNING",
    mandate.VIOLATION: "ERROR",
}


class Command(BaseCommand):
    help = "Check a process against its mandate (resolution 71/280 for the GCM)."

    def add_arguments(self, parser):
        parser.add_argument("--process", help="The process's short name (default: the first).")
        parser.add_argument("--json", action="store_true", help="Print the results as JSON.")

    def handle(self, *args, process=None, json=False, **options):
        if process:
            found = Process.objects.filter(slug=process).first()
            if found is None:
                raise CommandError(f"No process {process!r}.")
        else:
            found = selectors.default_process()
            if found is None:
                raise CommandError("No process yet: run manage.py seed_gcm first.")
        results = selectors.compliance_report(found)
        if json:
            self._print_json(results)
        else:
            self._print_text(found, results)
        if any(r.status == mandate.VIOLATION for r in results):
            raise SystemExit(1)

    def _print_text(self, process, results):
        self.stdout.write(f"{process.title} ({process.mandate})")
        for r in results:
            style = getattr(self.style, STYLE[r.status])
            self.stdout.write(f"{r.op:<18} {style(r.status.upper()):<9} {r.title}: {r.summary}")
            for f in r.findings:
                if f.status != mandate.OK:
                    self.stdout.write(f"{'':<18}   - {f.status}: {f.message}")
        counts = {s: sum(1 for r in results if r.status == s) for s in STYLE}
        self.stdout.write(
            f"{len(results)} rules: {counts['ok']} ok, {counts['pending']} pending, "
            f"{counts['warning']} with warnings, {counts['violation']} violated."
        )

    def _print_json(self, results):
        payload = [
            {
                "rule": r.code,
                "op": r.op,
                "title": r.title,
                "status": r.status,
                "summary": r.summary,
                "figures": r.figures,
                "findings": [
                    {"status": f.status, "message": f.message, "subject": f.subject}
                    for f in r.findings
                ],
            }
            for r in results
        ]
        self.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False))
