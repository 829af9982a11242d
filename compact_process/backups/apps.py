from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    # No models: the backup and restore commands (manage.py backup, manage.py restore).
    name = "compact_process.backups"
    label = "backups"
    verbose_name = _("Backups")
