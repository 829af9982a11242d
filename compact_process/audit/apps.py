from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "compact_process.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from compact_process.audit.guards import install_sqlite_function

        # The SQLite triggers call it (guards.py); every connection needs it.
        connection_created.connect(install_sqlite_function, dispatch_uid="audit-sqlite-guard")
