from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Stakeholders")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from compact_process.web.cache import bump_content_version
        from phases.signals import process_seeded

        process_seeded.connect(_seed_window, dispatch_uid="stakeholders-seed-window")
        # Lists under review and application windows are mirrored as deadlines.
        from stakeholders import deadlines

        deadlines.connect()
        # The public list pages are cached with the rest of the public site: any write to
        # what they show invalidates them (a stale list after a close is a bug).
        for name in (
            "StakeholderList",
            "ListEntry",
            "Objection",
            "InformationRequest",
            "Organization",
        ):
            model = self.get_model(name)
            post_save.connect(bump_content_version, sender=model, dispatch_uid=f"bump-{name}")
            post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"bump-d-{name}")

        from stakeholders import pdfs  # noqa: F401  (registers the list PDFs)


def _seed_window(sender, *, process, **kwargs) -> list[str]:
    """The real special-accreditation window of the GCM: 14 March–17 April 2017."""
    from stakeholders.models_registry import ApplicationWindow
    from stakeholders.services import ensure_default_window

    if process.slug != "gcm" or ApplicationWindow.objects.filter(process=process).exists():
        return []
    ensure_default_window(process)
    return ["application window"]
