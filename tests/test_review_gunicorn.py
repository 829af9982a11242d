"""Issue 14, on the production shape: a real gunicorn (3 workers with threads, as
compact_process/gunicorn_conf.py runs it, DEBUG off, collected static files) on the
PostgreSQL test database, and delegates posting the real forms over HTTP, all at once.

- 20 delegates of 20 States object 0.9 s before the deadline: all 20 count, though the
  40 requests (objections and withdrawals) queue for 12 threads, and though the server's
  main thread, on a busy machine, accepts some a second late (the stamp is the kernel's
  instant of receipt); 20 others post 0.05 s after it, with a forged server stamp: none
  counts. The same for withdrawals.
- Once the deadline and the request timeout have passed, the close is triggered five ways
  at once (two service calls, the beat sweep, the beat task, the Office's button over
  HTTP): one close event, one final list.
"""

from __future__ import annotations

import datetime
import html
import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from compact_process.audit.models import AuditEvent
from phases.models import MemberState
from stakeholders import services, tasks
from stakeholders.enums import ApplicationState, Channel, Gender, ListStatus
from stakeholders.models import Objection, Organization, StakeholderList
from tests.people import delegate, person

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
TIMEOUT_SECONDS = 3  # REQUEST_TIMEOUT_SECONDS of the server and of this test
DELEGATES = 20
LATE_GAP_SECONDS = 5
THREADS = 4  # per worker: 12 threads for 40 requests at once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """Static files collected with production settings, as the Dockerfile does."""
    root = tmp_path_factory.mktemp("static")
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "x", "STATIC_ROOT": str(root)}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return root


@contextmanager
def serving(env: dict[str, str], log_path: Path) -> Iterator[subprocess.Popen]:
    """gunicorn with ``env`` (its GUNICORN_BIND a port on 127.0.0.1), its output in
    ``log_path``, once it accepts connections; stopped when the block ends."""
    port = int(env["GUNICORN_BIND"].rsplit(":", 1)[1])
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [GUNICORN, "-c", "python:compact_process.gunicorn_conf", "compact_process.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                assert process.poll() is None, log_path.read_text()
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    time.sleep(0.2)
            else:
                pytest.fail("gunicorn did not start:\n" + log_path.read_text())
            yield process
        finally:
            process.terminate()
            process.wait(timeout=30)


@pytest.fixture
def server(static_root, tmp_path, settings):
    """gunicorn on the test database, serving until the test ends."""
    settings.REQUEST_TIMEOUT_SECONDS = TIMEOUT_SECONDS
    db = connection.settings_dict
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "STATIC_ROOT": str(static_root),
        "VAR_DIR": str(tmp_path),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "3",
        # Fewer threads than delegates: the burst queues inside each worker, and counts
        # only because the worker stamps a request when it accepts it.
        "GUNICORN_THREADS": str(THREADS),
        "GUNICORN_ACCESS_LOG": str(tmp_path / "access.log"),
        "REQUEST_TIMEOUT_SECONDS": str(TIMEOUT_SECONDS),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    with serving(env, tmp_path / "gunicorn.log"):
        yield port


class Browser:
    """One person's cookies and CSRF token, over real HTTP."""

    def __init__(self, port: int, user) -> None:
        self.port = port
        client = Client()
        client.force_login(user)  # a session row in the test database
        self.cookies = {
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value
        }
        self.token = ""

    def request(
        self,
        method: str,
        path: str,
        data: dict | None = None,
        extra: dict | None = None,
        timing: list | None = None,
    ) -> tuple[int, str]:
        """The status and the page; ``timing``, if given, receives when the connection was
        begun and when the whole request had been handed to the kernel."""
        began = time.time()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        headers.update(extra or {})
        body = None
        if data is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.token, **data})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        if timing is not None:
            timing += [began, time.time()]
        response = conn.getresponse()
        text = response.read().decode()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, text

    def get_form(self, path: str) -> None:
        status, text = self.request("GET", path)
        assert status == 200, (path, status, text[:2000])
        self.token = html.unescape(
            re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)
        )


def _review(process, office, title: str, deadline: datetime.datetime) -> StakeholderList:
    lst = services.create_list(process=process, purpose="preparatory", title=title, actor=office)
    org = Organization.objects.create(
        name=f"{title}: organisation",
        kind="ngo",
        country=MemberState.objects.get(iso3="KEN"),
        email="race@example.org",
    )
    application = services.submit_application(
        process=process,
        organization=org,
        channel=Channel.SPECIAL,
        activities="Support to migrants",
        representatives=[("A. Person", Gender.WOMAN)],
    )
    services.screen_application(
        application=application, state=ApplicationState.SCREENED_IN, actor=office
    )
    services.add_entry(stakeholder_list=lst, application=application, actor=office)
    services.submit_list(stakeholder_list=lst, deadline=deadline, actor=office)
    return lst


def _all_at(instant: datetime.datetime, calls: list) -> list:
    """Run the calls in threads released together at ``instant``; their results."""
    results: list = [None] * len(calls)
    barrier = threading.Barrier(len(calls) + 1)

    def run(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except Exception as error:  # reported by the assertions, with the others
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    wait = (instant - timezone.now()).total_seconds()
    assert wait > 0, f"the preparation overran the moment by {-wait:.2f} s"
    time.sleep(wait)
    barrier.wait()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_the_last_second_counts_and_the_first_second_after_does_not(gcm, server):
    office = person("office", "pga_office")
    states = list(MemberState.objects.filter(status="member").order_by("iso3")[:DELEGATES])
    deadline = timezone.now().replace(microsecond=0) + datetime.timedelta(seconds=30)
    # The late posts are made against lists of their own, due a few seconds later, so that
    # the in-time burst, however slow the machine, is over before the late one starts.
    late_deadline = deadline + datetime.timedelta(seconds=LATE_GAP_SECONDS)
    lists = {
        name: _review(gcm, office, f"Race: {name}", late_deadline if "late" in name else deadline)
        for name in ("object-in-time", "object-late", "withdraw-in-time", "withdraw-late")
    }
    people = [delegate(f"race-{s.iso3.lower()}", s.iso3) for s in states]
    for lst in (lists["withdraw-in-time"], lists["withdraw-late"]):
        entry = lst.entries.get()
        for user, state in zip(people, states, strict=True):
            services.lodge_objection(entry=entry, member_state=state, user=user)

    browsers = [Browser(server, user) for user in people]
    first = lists["object-in-time"]
    for browser in browsers:  # the object form, as each delegate opens it
        browser.get_form(
            reverse("stakeholders-review:object", args=[first.pk, first.entries.get().pk])
        )

    # A late delegate who forges the server's stamp, one second before the deadline: the
    # worker drops a client's header of that name, so it is refused all the same.
    forged = {"X-Compact-Accepted": f"t={late_deadline.timestamp() - 1:.6f}"}

    def timed(browser, path, data, extra):
        """The status, when the post was begun, and when it had been sent entirely."""

        def post():
            timing: list = []
            status, _ = browser.request("POST", path, data, extra, timing)
            return status, *timing

        return post

    def object_to(browser, lst, extra=None):
        path = reverse("stakeholders-review:object", args=[lst.pk, lst.entries.get().pk])
        return timed(browser, path, {"basis": "", "next": "/review/"}, extra)

    def withdraw(browser, user, lst, extra=None):
        objection = Objection.objects.get(entry__stakeholder_list=lst, lodged_by=user)
        path = reverse("stakeholders-review:withdraw", args=[objection.pk])
        return timed(browser, path, {"next": "/review/"}, extra)

    pairs = list(zip(browsers, people, strict=True))
    in_time = _all_at(
        deadline - datetime.timedelta(seconds=0.9),
        [object_to(b, lists["object-in-time"]) for b, _ in pairs]
        + [withdraw(b, u, lists["withdraw-in-time"]) for b, u in pairs],
    )
    late = _all_at(
        late_deadline + datetime.timedelta(seconds=0.05),
        [object_to(b, lists["object-late"], forged) for b, _ in pairs]
        + [withdraw(b, u, lists["withdraw-late"], forged) for b, u in pairs],
    )
    # Each post sent entirely before the deadline counts, however long it then waits for
    # a thread. (On a machine so busy that this test's own threads send after the
    # deadline, those posts truly arrive late: refused, and not counted below.)
    due = deadline.timestamp()
    assert not [r for r in in_time if isinstance(r, Exception)], in_time
    sent_in_time = [sent < due for _, _, sent in in_time]
    expected = [302 if sent < due else 422 if began >= due else None for _, began, sent in in_time]
    got = [
        status if want is not None else None
        for (status, _, _), want in zip(in_time, expected, strict=True)
    ]
    assert got == expected, [(s, round(b - due, 3), round(t - due, 3)) for s, b, t in in_time]
    assert sum(sent_in_time) >= 3 * DELEGATES // 2, "this test's posts could not be sent in time"
    assert [status for status, _, _ in late] == [422] * (2 * DELEGATES), late

    def standing(name):
        return Objection.objects.filter(
            entry__stakeholder_list=lists[name], withdrawn_at__isnull=True
        ).count()

    objected, withdrawn = in_time[:DELEGATES], in_time[DELEGATES:]
    assert standing("object-in-time") == sum(status == 302 for status, _, _ in objected)
    assert standing("object-late") == 0
    assert standing("withdraw-in-time") == sum(status != 302 for status, _, _ in withdrawn)
    assert standing("withdraw-late") == DELEGATES

    # The close, five ways at once, after the deadline and the request timeout.
    target = lists["object-in-time"]
    office_browser = Browser(server, office)
    office_browser.get_form(reverse("stakeholders-office:close", args=[target.pk]))
    button = reverse("stakeholders-office:close", args=[target.pk])
    results = _all_at(
        late_deadline + datetime.timedelta(seconds=TIMEOUT_SECONDS + 0.2),
        [
            lambda: services.close_review(list_id=target.pk),
            lambda: services.close_review(list_id=target.pk),
            lambda: services.close_due_reviews(),
            lambda: tasks.close_due_reviews.run(),
            lambda: office_browser.request("POST", button, {})[0],
        ],
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert results[4] == 302
    closes = AuditEvent.objects.filter(action="review.closed")
    for lst in lists.values():
        lst.refresh_from_db()
        assert lst.status == ListStatus.CLOSED
        assert closes.filter(list_id=lst.pk).count() == 1, lst.title
    outcomes = {name: lst.entries.get().outcome for name, lst in lists.items()}
    assert outcomes == {
        "object-in-time": "not_approved",
        "object-late": "approved",
        "withdraw-in-time": "approved" if standing("withdraw-in-time") == 0 else "not_approved",
        "withdraw-late": "not_approved",
    }
