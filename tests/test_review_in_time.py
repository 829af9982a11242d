"""Issue 14: the instant of an act is when its request arrived, and only Member States
object (OP 6(b)).

The race itself, over real HTTP on a real gunicorn, is in tests/test_review_gunicorn.py;
here the rules it relies on, one at a time."""

from __future__ import annotations

import datetime
import socket
import time

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse

from compact_process import gunicorn_worker
from compact_process.web.arrival import ArrivalMiddleware, arrival
from phases.models import MemberState
from stakeholders import services
from stakeholders.models import Objection
from stakeholders.services import ReviewError, close_grace
from tests.people import delegate
from tests.test_review import DEADLINE, review_with

SECOND = datetime.timedelta(seconds=1)
pytestmark = pytest.mark.django_db


def state(iso3: str) -> MemberState:
    return MemberState.objects.get(iso3=iso3)


# --- The instant of the act -----------------------------------------------------------------


def test_an_objection_that_arrived_before_the_deadline_counts_however_late_it_is_handled(gcm):
    lst, _office, entries = review_with(gcm, 1)
    mexico = delegate("mx", "MEX")
    # The request arrived a tenth of a second before the deadline; the service runs two
    # seconds later (the server's queue, the middleware, the lock).
    with time_machine.travel(DEADLINE + 2 * SECOND, tick=False):
        objection = services.lodge_objection(
            entry=entries[0],
            member_state=state("MEX"),
            user=mexico,
            made_at=DEADLINE - SECOND / 10,
        )
    assert objection.lodged_at == DEADLINE - SECOND / 10
    services.close_review(list_id=lst.pk, now=DEADLINE + close_grace())
    entries[0].refresh_from_db()
    assert entries[0].outcome == "not_approved"


def test_an_objection_that_arrived_at_the_deadline_is_refused(gcm):
    _lst, _office, entries = review_with(gcm, 1)
    with (
        time_machine.travel(DEADLINE + SECOND, tick=False),
        pytest.raises(ReviewError, match="The review closed"),
    ):
        services.lodge_objection(
            entry=entries[0],
            member_state=state("MEX"),
            user=delegate("mx", "MEX"),
            made_at=DEADLINE,
        )
    assert not Objection.objects.exists()


def test_an_act_longer_in_flight_than_the_request_timeout_is_refused_not_overtaken(gcm, settings):
    """The close waits out the request timeout; an act slower than that is refused, so
    that it cannot reach the record after the close decided without it."""
    settings.REQUEST_TIMEOUT_SECONDS = 10
    assert close_grace() == 10 * SECOND
    _lst, _office, entries = review_with(gcm, 1)
    with (
        time_machine.travel(DEADLINE - SECOND, tick=False),
        pytest.raises(ReviewError, match="took more than 10 seconds"),
    ):
        services.lodge_objection(
            entry=entries[0],
            member_state=state("MEX"),
            user=delegate("mx", "MEX"),
            made_at=DEADLINE - 12 * SECOND,
        )
    assert not Objection.objects.exists()


def test_the_close_waits_out_the_request_timeout(gcm, settings):
    settings.REQUEST_TIMEOUT_SECONDS = 10
    lst, _office, _entries = review_with(gcm, 1)
    with pytest.raises(ReviewError, match="cannot be closed before"):
        services.close_review(list_id=lst.pk, now=DEADLINE + 9 * SECOND)
    assert services.close_due_reviews(now=DEADLINE + 9 * SECOND) == []
    assert services.close_due_reviews(now=DEADLINE + 10 * SECOND) == [lst.pk]


def test_a_withdrawal_counts_from_when_it_arrived(gcm):
    lst, _office, entries = review_with(gcm, 1)
    mexico = delegate("mx", "MEX")
    with time_machine.travel(DEADLINE - 60 * SECOND, tick=False):
        objection = services.lodge_objection(
            entry=entries[0], member_state=state("MEX"), user=mexico
        )
    with time_machine.travel(DEADLINE + SECOND, tick=False):
        services.withdraw_objection(objection=objection, user=mexico, made_at=DEADLINE - SECOND / 2)
    services.close_review(list_id=lst.pk, now=DEADLINE + close_grace())
    entries[0].refresh_from_db()
    assert entries[0].outcome == "approved"


def _arrived(settings, header: str | None, now: datetime.datetime) -> datetime.datetime:
    settings.REQUEST_START_HEADER = "X-Request-Start"
    request = RequestFactory().get("/", **({"HTTP_X_REQUEST_START": header} if header else {}))
    with time_machine.travel(now, tick=False):
        ArrivalMiddleware(lambda r: None)(request)
    return arrival(request)


def test_a_trusted_proxy_s_start_time_is_taken_within_the_request_timeout_only(settings):
    settings.REQUEST_TIMEOUT_SECONDS = 30
    now = datetime.datetime(2030, 4, 20, 23, 59, 59, 500_000, tzinfo=datetime.UTC)
    two_seconds_before = now - 2 * SECOND
    epoch = two_seconds_before.timestamp()
    # nginx's "t=${msec}", and the same in milli- and microseconds.
    assert _arrived(settings, f"t={epoch:.3f}", now) == two_seconds_before
    assert _arrived(settings, f"t={int(epoch * 1000)}", now) == two_seconds_before
    assert abs(_arrived(settings, f"{int(epoch * 1_000_000)}", now) - two_seconds_before) < (
        SECOND / 1000
    )
    # Older than the timeout, in the future, or not a time: the application's own clock.
    assert _arrived(settings, f"t={(now - 31 * SECOND).timestamp():.3f}", now) == now
    assert _arrived(settings, f"t={(now + 5 * SECOND).timestamp():.3f}", now) == now
    assert _arrived(settings, "t=yesterday", now) == now
    assert _arrived(settings, None, now) == now


@pytest.mark.skipif(not hasattr(socket, "TCP_INFO"), reason="TCP_INFO is Linux's")
def test_the_server_stamps_a_request_when_it_came_in_not_when_it_was_accepted():
    """gunicorn's main thread, on a busy machine, may accept a connection a second after
    its request came in: the worker's stamp is the kernel's instant of receipt."""
    listener = socket.create_server(("127.0.0.1", 0))
    with listener, socket.create_connection(listener.getsockname()) as client:
        client.sendall(b"POST /review/ HTTP/1.1\r\nHost: x\r\n\r\n")
        sent = time.time()
        time.sleep(0.8)  # the request waits in the listen queue
        accepted, _ = listener.accept()
        with accepted:
            now = time.time()
            stamped = gunicorn_worker.received_at(accepted, now)
    assert now - sent >= 0.8
    assert abs(stamped - sent) < 0.1, (stamped - sent, now - sent)


def test_where_the_system_cannot_tell_the_accept_time_is_the_stamp():
    with socket.socket(socket.AF_UNIX) as not_tcp:
        assert gunicorn_worker.received_at(not_tcp, 1234.5) == 1234.5


def test_without_a_trusted_header_the_proxy_s_claim_is_ignored(settings):
    settings.REQUEST_START_HEADER = ""
    now = datetime.datetime(2030, 4, 20, 23, 59, 59, tzinfo=datetime.UTC)
    request = RequestFactory().get(
        "/", HTTP_X_REQUEST_START=f"t={(now - 5 * SECOND).timestamp():.3f}"
    )
    with time_machine.travel(now, tick=False):
        ArrivalMiddleware(lambda r: None)(request)
    assert arrival(request) == now


def test_the_confirmation_says_when_the_objection_was_recorded(gcm):
    lst, _office, entries = review_with(gcm, 1)
    client = Client()
    url = reverse("stakeholders-review:object", args=[lst.pk, entries[0].pk])
    at = DEADLINE - datetime.timedelta(milliseconds=900)
    with time_machine.travel(at, tick=False):
        client.force_login(delegate("mx", "MEX"))  # a session valid in 2030
        response = client.post(url, {"basis": "", "disclose_identity": ""}, follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert "Recorded at 20 April 2030, 23:59:58.1 UTC." in shown, shown
    assert Objection.objects.get().lodged_at == at


# --- Member States only (OP 6(b)) -----------------------------------------------------------


def test_an_observer_state_s_delegate_is_refused_an_objection_citing_op_6b(gcm):
    _lst, _office, entries = review_with(gcm, 1)
    palestine = state("PSE")
    assert not palestine.is_member
    observer = delegate("ps", "PSE")
    with (
        time_machine.travel(DEADLINE - 60 * SECOND, tick=False),
        pytest.raises(ReviewError, match=r"OP 6\(b\)"),
    ):
        services.lodge_objection(entry=entries[0], member_state=palestine, user=observer)
    assert not Objection.objects.exists()


def test_an_observer_state_s_delegate_reads_the_list_and_may_request_information(gcm):
    lst, _office, entries = review_with(gcm, 1)
    observer = delegate("ps", "PSE")
    client = Client()
    with time_machine.travel(DEADLINE - 60 * SECOND, tick=False):
        client.force_login(observer)
        page = client.get(reverse("stakeholders-review:list", args=[lst.pk])).content.decode()
        object_url = reverse("stakeholders-review:object", args=[lst.pk, entries[0].pk])
        form = client.get(object_url).content.decode()
        refused = client.post(object_url, {"basis": "No"})
        services.request_information(entry=entries[0], member_state=state("PSE"), user=observer)
    assert 'id="observer-note"' in page and "OP 6(b)" in page
    assert object_url not in page  # no "Object" link
    assert reverse("stakeholders-review:information", args=[lst.pk, entries[0].pk]) in page
    assert 'id="observer-note"' in form and "Lodge the objection" not in form
    assert refused.status_code == 422 and "OP 6(b)" in refused.content.decode()
    assert not Objection.objects.exists()
