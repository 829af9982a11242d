"""Shared fixtures. A test that needs a service this machine lacks (Redis, Chromium)
is skipped with the reason, and the run says so at the end; under REQUIRE_ALL=1
(CI) the same situation fails instead: CI skips nothing."""

from __future__ import annotations

import os
import shutil

import pytest

REQUIRE_ALL = os.environ.get("REQUIRE_ALL", "") not in ("", "0")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def need(available: bool, reason: str) -> None:
    if available:
        return
    if REQUIRE_ALL:
        pytest.fail(f"REQUIRE_ALL is set and {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings):
    """Production uses hashed names from collectstatic's manifest (tested on its own in
    test_settings); the other tests render pages without running collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path):
    """Uploaded files and rendered PDFs go to the test's own folder, never to the
    checkout's var/media (the database rolls back; files would stay)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language. Django's test client leaves the language
    of its last request active in this thread (LocaleMiddleware activates it and nothing
    resets it), so a test that fetched /ar/... would otherwise make the next test's
    reverse() build /ar/ URLs and format its numbers in Arabic."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_public_cache():
    """The database rolls back after each test but the public-page cache would not: a page
    rendered from one test's data must never be served to the next."""
    from tests.pages import reset_public_cache

    reset_public_cache()
    yield
    reset_public_cache()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the GCM once into the test database; each test's transaction rolls back."""
    from phases.seed import seed_gcm

    with django_db_blocker.unblock():
        seed_gcm()
    yield
    # ORM calls a test makes while Playwright's sync API is active run in a greenlet,
    # where Django's per-context connection handler opens a second connection that
    # nothing closes. On PostgreSQL that idle session would stop the test database from
    # being dropped; end such sessions before pytest-django drops it.
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture
def gcm(db):
    """The seeded GCM process (the real 2017–2018 facts). Idempotent, so transactional
    tests, which start from an emptied database, get it too."""
    from phases.seed import seed_gcm

    process, _ = seed_gcm()
    return process


@pytest.fixture(scope="session")
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2).ping()
        ok = True
    except redis.RedisError:
        ok = False
    need(ok, f"no Redis answers at {TEST_REDIS_URL} (set TEST_REDIS_URL)")
    return TEST_REDIS_URL


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which(CHROMIUM) or (CHROMIUM if os.path.exists(CHROMIUM) else None)
    need(path is not None, f"Chromium is not installed at {CHROMIUM} (run 'sudo make system-deps')")
    return path


# Chromium as this machine runs it headless as root, with no background traffic (the
# network is closed: its background requests would only fail).
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(chromium_path, monkeypatch):
    """Debian's Chromium driven by Playwright (no browser download).

    Function-scoped on purpose: a browser (and Playwright's event loop) kept across
    tests was seen to stop the next transactional test's serialized rollback from
    restoring the migrated data (no Member States)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls around it
    # are ordinary synchronous test set-up, not async code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    # A fixed locale, so that date fields take month/day/year as typed.
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` (real concurrent transactions, row locks, triggers) run
    in the PostgreSQL run of `make test`; in the SQLite run they are deselected, and the
    run says so (they are not skipped: CI runs both)."""
    from django.db import connection

    _require_serialized_rollback(items)
    if connection.vendor == "postgresql":
        return
    kept, deselected = [], []
    for item in items:
        (deselected if item.get_closest_marker("postgres") else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
        config._postgres_only = len(deselected)


def _require_serialized_rollback(items) -> None:
    """A transactional test empties the tables when it ends; without
    ``serialized_rollback=True`` the migrated data (Member States, roles, content types)
    is not restored, and later tests fail in confusing ways (on PostgreSQL: duplicate
    content types at set-up). Refuse such a test at collection."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: use @pytest.mark.django_db(transaction=True, "
                "serialized_rollback=True) so that the migrated data is restored after it"
            )


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    postgres_only = getattr(config, "_postgres_only", 0)
    if postgres_only:
        terminalreporter.write_line(
            f"NOTE: {postgres_only} PostgreSQL-only test(s) deselected on this database; "
            "they run in the PostgreSQL run of `make test`."
        )
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped:
        terminalreporter.write_line(
            f"NOTE: {len(skipped)} test(s) skipped for want of a service on this machine; "
            "the reasons are listed above. CI runs them all (REQUIRE_ALL=1).",
            yellow=True,
        )
