from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "compact_process.deadlines"
    label = "deadlines"
    verbose_name = _("Deadlines and reminders")
    default_auto_field = "django.db.models.BigAutoField"
