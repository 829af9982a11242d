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


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """One fast hasher for the whole suite: PBKDF2 at a million iterations made a test
    that creates users spend most of its time hashing. Production keeps Django's default
    (test_settings checks it); a hash made here is never stored anywhere else."""
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()


@pytest.fixture(autouse=True, scope="session")
def _a_cache_of_each_test_worker():
    """Under pytest-xdist each worker has its own test database; it gets its own cache
    too, or one worker would serve another's public pages from the shared cache folder."""
    from django.conf import settings
    from django.test.utils import override_settings

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    backend = settings.CACHES["default"]["BACKEND"]
    if not worker or not backend.endswith("FileBasedCache"):
        yield
        return
    default = settings.CACHES["default"]
    location = f"{default['LOCATION']}-{worker}"
    with override_settings(CACHES={"default": {**default, "LOCATION": location}}):
        yield


@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_record_guards():
    """A transactional test ends with a flush that empties every table; the database's
    guards refuse to empty the audit trail and submitted lists (audit 0006, stakeholders
    0006). The flush, and only the flush, says it is emptying the whole database: on
    PostgreSQL for a superuser only, which the test's role is and the app's is not (the
    reasoning is in audit 0006's docstring)."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from compact_process.audit import guards

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with guards.flushing():
            return original(self, [*guards.flush_statements(self.connection), *sql_list])

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    BaseDatabaseOperations.execute_sql_flush = original


@pytest.fixture(autouse=True)
def _second_factor_given_by_force_login(monkeypatch):
    """A test client's ``force_login`` (and ``login``) of someone who must give a second
    factor (staff, superusers) also gives it, as if the code had been typed: most tests
    are about what such a person does once signed in. The second factor itself is tested
    through its pages (tests/test_two_factor.py), with a browser too; those tests sign in
    through the forms, which this does not touch."""
    from django.test.client import ClientMixin
    from django_otp import DEVICE_ID_SESSION_KEY

    from compact_process.accounts.permissions import DECIDING_ROLES
    from tests.people import second_factor

    signed_in = ClientMixin._login

    def _login(self, user, backend=None):
        signed_in(self, user, backend)
        roles = [str(role) for role in DECIDING_ROLES]
        if user.is_superuser or user.groups.filter(name__in=roles).exists():
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = second_factor(user).persistent_id
            session.save()

    monkeypatch.setattr(ClientMixin, "_login", _login)


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings):
    """Production uses hashed names from collectstatic's manifest (tested on its own in
    test_settings); the other tests render pages without running collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_idle_sign_out(settings):
    """Tests travel in time (to a review's deadline, to 2030) between one request and the
    next, which to the idle sign-out and to the session's age is hours or years: both are
    off here, and on in tests/test_security_headers.py, which tests them."""
    settings.SESSION_IDLE_MINUTES = 0
    settings.SESSION_IDLE_MINUTES_STAFF = 0
    # A session lasts 12 hours in production; a test signs in now and acts at a deadline
    # days or years later (time_machine).
    settings.SESSION_COOKIE_AGE = 20 * 365 * 24 * 3600


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
    """The seeded GCM process (the real 2017–2018 facts), seeded once per test database
    by ``django_db_setup``; a transactional test, which starts from a database emptied by
    the one before it, seeds it again (the seed is idempotent)."""
    from phases.models import Process
    from phases.seed import PROCESS, seed_gcm

    process = Process.objects.filter(slug=PROCESS["slug"]).first()
    if process is None:
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
        violations = _report_csp_violations(launched)
        yield launched
        launched.close()
    if violations:
        pytest.fail(
            "the Content-Security-Policy refused something on these pages:\n"
            + "\n".join(dict.fromkeys(violations))
        )


# Each page of each browser context reports a Content-Security-Policy violation on the
# console (the event fires for an inline script, style or handler refused, and for a source
# not allowed); the browser fixture fails the test that saw one.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("CSP violation: " + e.violatedDirective + " refused "
    + (e.blockedURI || "inline") + " on " + e.documentURI
    + (e.sample ? " (" + e.sample + ")" : ""));
}, true);
"""


def _report_csp_violations(launched) -> list[str]:
    """Every context the test opens (``browser.new_context``, ``browser.new_page``) records
    the violations its pages report; the list is read when the test ends."""
    violations: list[str] = []

    def watch(context):
        context.add_init_script(_CSP_LISTENER)

        def on_console(message) -> None:
            text = message.text
            if text.startswith("CSP violation:") or (
                "Refused to" in text and "Content Security Policy" in text
            ):
                violations.append(text)

        context.on("console", on_console)
        return context

    new_context = launched.new_context

    def new_context_watched(*args, **kwargs):
        return watch(new_context(*args, **kwargs))

    def new_page_watched(*args, **kwargs):
        # A page in a context of its own (closed with the browser).
        return new_context_watched(*args, **kwargs).new_page()

    launched.new_context = new_context_watched
    launched.new_page = new_page_watched
    return violations


@pytest.fixture
def page(browser):
    # A fixed locale, so that date fields take month/day/year as typed.
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


# Tests that run once: in the PostgreSQL run when there is one (CI, `make test` where a
# server answers), otherwise in the SQLite run. Real concurrent transactions, row locks and
# triggers need PostgreSQL (``postgres``: never on SQLite).
ONCE_MARKERS = ("browser", "worker")
# `make test` sets this for the SQLite run when the PostgreSQL run follows.
ONCE_ON_POSTGRES = os.environ.get("ONCE_ON_POSTGRES", "") not in ("", "0")
# Tests that use the one Redis server's numbered databases, or start real Celery workers,
# run one after another on the same xdist worker (``--dist loadgroup``).
SERVICES_GROUP = "real-services"


def pytest_collection_modifyitems(config, items):
    """In the SQLite run, leave out what runs on PostgreSQL only (``postgres``) and, when
    the PostgreSQL run follows, what runs once (browser and worker tests); the run says how
    many (they are not skipped: `make test` and CI run them in the PostgreSQL run)."""
    from django.db import connection

    _require_serialized_rollback(items)
    for item in items:
        if item.get_closest_marker("redis") or item.get_closest_marker("worker"):
            item.add_marker(pytest.mark.xdist_group(SERVICES_GROUP))
    if connection.vendor == "postgresql":
        return
    kept, postgres_only, once = [], [], []
    for item in items:
        if item.get_closest_marker("postgres"):
            postgres_only.append(item)
        elif ONCE_ON_POSTGRES and any(item.get_closest_marker(m) for m in ONCE_MARKERS):
            once.append(item)
        else:
            kept.append(item)
    if postgres_only or once:
        config.hook.pytest_deselected(items=postgres_only + once)
        items[:] = kept
        config._postgres_only = len(postgres_only)
        config._once_on_postgres = len(once)
        if hasattr(config, "workeroutput"):  # an xdist worker: tell the main process
            config.workeroutput["deselected"] = (len(postgres_only), len(once))


@pytest.hookimpl(optionalhook=True)  # an xdist hook: absent with -p no:xdist
def pytest_testnodedown(node, error):
    """Under xdist the workers collect; each reports what it left out (the same counts)."""
    postgres_only, once = getattr(node, "workeroutput", {}).get("deselected", (0, 0))
    node.config._postgres_only = postgres_only
    node.config._once_on_postgres = once


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
    once = getattr(config, "_once_on_postgres", 0)
    if once:
        terminalreporter.write_line(
            f"NOTE: {once} browser and worker test(s) deselected here; they run once, in "
            "the PostgreSQL run that follows."
        )
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped:
        terminalreporter.write_line(
            f"NOTE: {len(skipped)} test(s) skipped for want of a service on this machine; "
            "the reasons are listed above. CI runs them all (REQUIRE_ALL=1).",
            yellow=True,
        )
