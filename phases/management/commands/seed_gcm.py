from django.core.management.base import BaseCommand

from phases.seed import seed_gcm


class Command(BaseCommand):
    help = "Load the real GCM process of 2017–2018 (idempotent: a second run changes nothing)."

    def handle(self, *args, **options):
        process, created = seed_gcm()
        if created:
            self.stdout.write(f"Seeded {process.title}: {len(created)} items created.")
        else:
            self.stdout.write(f"{process.title} is already seeded; nothing changed.")
