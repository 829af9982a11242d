from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from compact_process.accounts.demo import DEMO_PASSWORD, create_demo_accounts


class Command(BaseCommand):
    help = "Create (or reset) one demo account per role and print how to sign in. Debug only."

    def handle(self, *args, **options):
        try:
            accounts = create_demo_accounts()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Demo accounts (local use only), all with the password {DEMO_PASSWORD}:")
        for a in accounts:
            extra = f" for {a.state_iso3}" if a.state_iso3 else ""
            self.stdout.write(f"  {a.username:<18} {a.role.label}{extra}")
        self.stdout.write("Sign in at http://127.0.0.1:8000/accounts/login/")
        self.stdout.write(
            "The secretariat, PGA Office and co-facilitator accounts set up two-step "
            "verification at their first sign-in: any authenticator app (TOTP) on a phone."
        )
        from django.contrib.auth import get_user_model

        from stakeholders.demo import create_demo_organizations

        users = get_user_model().objects
        created = create_demo_organizations(
            ngo_user=users.get(username="ngo"), office_user=users.get(username="pga-office")
        )
        if created:
            self.stdout.write(
                f"{created} demo organizations applied and were screened in: the Office "
                "(pga-office) can compose a list and submit it to Member States."
            )
