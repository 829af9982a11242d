from django.apps import AppConfig


class WebConfig(AppConfig):
    """Cross-cutting web pieces: the language links, the public-page cache."""

    name = "compact_process.web"
    label = "web"

    def ready(self) -> None:
        # The idle sign-out notes when each session signed in (a user_logged_in receiver).
        from compact_process.web import idle  # noqa: F401
