from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhasesConfig(AppConfig):
    name = "phases"
    verbose_name = _("Process and phases")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from compact_process.web.cache import bump_content_version

        # Any write to what the public sees invalidates the public pages, whatever the
        # entry point (services, admin, shell, a migration's data step).
        for model in self.get_models():
            post_save.connect(bump_content_version, sender=model, dispatch_uid=f"bump-{model}")
            post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"bump-d-{model}")

        # PDF sources register themselves by name (compact_process.pdf.sources).
        from phases.documents import pdfs as _document_pdfs  # noqa: F401
        from phases.drafts import pdfs as _draft_pdfs  # noqa: F401
