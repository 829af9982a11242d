from django.apps import AppConfig


class WebConfig(AppConfig):
    """Cross-cutting web pieces: the language links, the public-page cache."""

    name = "compact_process.web"
    label = "web"
