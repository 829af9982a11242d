"""What is due for me (issue 5): each signed-in person's own deadlines, soonest first with
the overdue ones marked in words, a link to act, the recently met ones collapsed; and a
personal iCalendar feed of the open ones behind a secret token that can be replaced."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from compact_process.deadlines import services as deadlines
from compact_process.deadlines.models import Deadline, DeadlineKind, FeedToken
from tests.people import delegate, person

User = get_user_model()
UTC = datetime.UTC
NOW = datetime.datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
DUE = reverse("deadlines:due")


def days(n: float) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def signed_in(user) -> Client:
    """Signed in at NOW (the pages are read at NOW, in 2030: a session made today would
    have expired by then)."""
    client = Client()
    with time_machine.travel(NOW, tick=False):
        client.force_login(user)
    return client


def a_deadline(
    key: str,
    title: str,
    due_at: datetime.datetime,
    *,
    audience=None,
    kind: str = DeadlineKind.DELIVERABLE,
    route: str = "secretariat:deliverables",
    route_args=(),
    met_at: datetime.datetime | None = None,
) -> Deadline:
    return deadlines.upsert(
        key=key,
        kind=kind,
        title=title,
        due_at=due_at,
        audience=audience if audience is not None else [deadlines.role("secretariat")],
        route=route,
        route_args=route_args,
        met_at=met_at,
    )


def a_review(key: str, title: str, due_at: datetime.datetime) -> Deadline:
    return a_deadline(
        key,
        title,
        due_at,
        audience=[deadlines.DELEGATES],
        kind=DeadlineKind.LIST_REVIEW,
        route="stakeholders-review:list",
        route_args=[1],
    )


def page(client, path: str = DUE) -> str:
    with time_machine.travel(NOW, tick=False):
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    """Django writes the space in "2 days" as a no-break space."""
    return html.replace("\xa0", " ")


def titles_in_order(html: str) -> list[str]:
    return re.findall(r'<h3 class="due-title">([^<]*)</h3>', html)


def open_part(html: str) -> str:
    return html.split('id="open-deadlines"', 1)[1].split('id="met-deadlines"', 1)[0]


def met_part(html: str) -> str:
    return html.split('id="met-deadlines"', 1)[1].split('id="calendar-feed"', 1)[0]


def feed_path(client) -> str:
    """The feed address the page shows, as a path (made first if there is none)."""
    client.post(reverse("deadlines:feed-create"))
    shown = r'id="feed-url" class="feed-url" value="(https?://testserver[^"]+)"'
    match = re.search(shown, page(client))
    assert match, "no feed address on the page"
    return match.group(1).removeprefix("http://testserver").removeprefix("https://testserver")


def fetch_feed(path: str) -> tuple[Calendar, object]:
    """The feed, fetched without a sign-in."""
    with time_machine.travel(NOW, tick=False):
        response = Client().get(path)
    assert response.status_code == 200, path
    return Calendar.from_ical(response.content), response


def event_uids(cal: Calendar) -> set[str]:
    return {str(e["UID"]) for e in cal.walk("VEVENT")}


def uid(deadline: Deadline) -> str:
    return f"deadline-{deadline.key}@compact-process"


# --- Whose deadlines ------------------------------------------------------------------------


def test_the_secretariat_sees_deliverables_and_delegates_see_list_reviews_not_each_other_s(db):
    staff, mexico = person("staff", "secretariat"), delegate("mx", "MEX")
    a_deadline("d:1", "Issue brief for the session", NOW + days(5))
    a_review("r:1", "Preparatory list of stakeholders", NOW + days(3))
    staff_html, delegate_html = page(signed_in(staff)), page(signed_in(mexico))
    assert "Issue brief for the session" in staff_html
    assert "Preparatory list of stakeholders" not in staff_html
    assert "Preparatory list of stakeholders" in delegate_html
    assert "Issue brief for the session" not in delegate_html


def test_another_role_s_deliverable_is_not_due_for_me(db):
    staff = person("staff", "secretariat")
    office = [deadlines.role("pga_office")]
    a_deadline("d:office", "Summary of the hearing", NOW + days(5), audience=office)
    assert "Summary of the hearing" not in page(signed_in(staff))
    assert "Summary of the hearing" in page(signed_in(person("office", "pga_office")))


# --- Order, marking, time left, the link -----------------------------------------------------


def test_overdue_deadlines_come_first_and_are_marked_in_words(db):
    staff = person("staff", "secretariat")
    a_deadline("d:later", "Later deliverable", NOW + days(5))
    a_deadline("d:late", "Late deliverable", NOW - days(2))
    a_deadline("d:soon", "Soon deliverable", NOW + days(1))
    html = text(open_part(page(signed_in(staff))))
    assert titles_in_order(html) == ["Late deliverable", "Soon deliverable", "Later deliverable"]
    items = html.split('<li class="due-item')[1:]
    assert "due-item--overdue" in items[0] and "Overdue:" in items[0] and "2 days ago" in items[0]
    assert "1 is overdue." in html
    for item in items[1:]:
        assert "Overdue" not in item and "due-item--overdue" not in item
    assert "1 day left" in items[1] and "5 days left" in items[2]
    # The instant is written for the reader's clock (UTC in the HTML, local in the browser).
    assert '<time datetime="2030-05-30T12:00:00Z" data-instant="seconds" data-end="1">' in items[0]
    assert "Deliverable due" in items[0]


def test_the_link_to_act_opens_the_right_page_in_the_current_language(gcm):
    from tests.test_review_pages import DURING, build_list

    lst, _office, _entries = build_list(gcm, 2, title="Preparatory list")
    mexico = delegate("mx", "MEX")
    client = signed_in(mexico)
    with time_machine.travel(DURING, tick=False):
        html = client.get(DUE).content.decode()
        link = reverse("stakeholders-review:list", args=[lst.pk])
        assert f'<a href="{link}">Go to the page to act' in html
        opened = client.get(link)
        assert opened.status_code == 200 and "Preparatory list" in opened.content.decode()
        french = client.get("/fr" + DUE).content.decode()
    with translation.override("fr"):
        assert reverse("stakeholders-review:list", args=[lst.pk]).startswith("/fr/")
        assert f'href="{reverse("stakeholders-review:list", args=[lst.pk])}"' in french


def test_the_secretariat_s_link_opens_the_deliverables_page(db):
    staff = person("staff", "secretariat")
    a_deadline("d:1", "Issue brief", NOW + days(5))
    client = signed_in(staff)
    assert f'<a href="{reverse("secretariat:deliverables")}">' in page(client)
    assert client.get(reverse("secretariat:deliverables")).status_code == 200


def test_met_deadlines_of_the_last_30_days_are_in_a_collapsed_section(db):
    staff = person("staff", "secretariat")
    a_deadline("d:open", "Still open", NOW + days(5))
    a_deadline("d:met", "Met last week", NOW - days(3), met_at=NOW - days(7))
    a_deadline("d:old", "Met long ago", NOW - days(60), met_at=NOW - days(45))
    html = page(signed_in(staff))
    assert titles_in_order(open_part(html)) == ["Still open"]
    met = met_part(html)
    assert "<details" in met and "<details open" not in met
    assert titles_in_order(met) == ["Met last week"]
    assert "Met long ago" not in html


def test_nothing_due_says_so(db):
    html = page(signed_in(person("staff", "secretariat")))
    assert "Nothing is due for you now." in html
    assert "No deadline of yours was met in the last 30 days." in html


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    for path in (DUE, reverse("deadlines:feed-replace")):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    assert client.post(reverse("deadlines:feed-create")).status_code == 302
    assert not FeedToken.objects.exists()


def test_every_role_has_the_page_and_the_nav_link(db):
    for role in ("secretariat", "co_facilitator", "pga_office", "delegate", "stakeholder"):
        html = page(signed_in(person(f"u-{role}", role)))
        assert f'<a href="{DUE}" aria-current="page">Due for me</a>' in html, role


# --- The calendar feed -------------------------------------------------------------------------


def test_the_page_offers_to_make_a_feed_address_then_shows_it(db):
    client = signed_in(person("staff", "secretariat"))
    html = page(client)
    assert "Create my feed address" in html and 'id="feed-url"' not in html
    client.post(reverse("deadlines:feed-create"))
    client.post(reverse("deadlines:feed-create"))  # a second click changes nothing
    token = FeedToken.objects.get()
    html = page(client)
    assert f'value="http://testserver/feeds/due/{token.token}.ics"' in html
    assert "Replace the address" in html and "Create my feed address" not in html
    with time_machine.travel(NOW, tick=False):
        secure = client.get(DUE, secure=True)
    assert f'value="https://testserver/feeds/due/{token.token}.ics"' in secure.content.decode()
    assert "no-store" in secure["Cache-Control"]


def test_the_feed_holds_exactly_my_open_deadlines(db):
    staff = person("staff", "secretariat", language="fr")
    late = a_deadline("d:late", "Late deliverable", NOW - days(2))
    soon = a_deadline("d:soon", "Soon deliverable", NOW + days(1))
    a_deadline("d:met", "Met deliverable", NOW - days(3), met_at=NOW - days(4))
    office = [deadlines.role("pga_office")]
    a_deadline("d:office", "Office's deliverable", NOW + days(2), audience=office)
    a_review("r:1", "Delegates' list", NOW + days(3))
    cal, response = fetch_feed(feed_path(signed_in(staff)))
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "private, no-store"
    assert event_uids(cal) == {uid(late), uid(soon)}
    assert str(cal["X-PUBLISHED-TTL"]) == "PT1H"  # clients asked to fetch it hourly
    event = next(e for e in cal.walk("VEVENT") if str(e["UID"]) == uid(soon))
    assert event.decoded("DTSTART") == soon.due_at
    assert event.decoded("DTSTART").tzinfo is not None
    assert event.decoded("DTSTART").utcoffset() == datetime.timedelta(0)
    assert event.decoded("DURATION") > datetime.timedelta(0)
    assert str(event["SUMMARY"]) == "Soon deliverable"
    # In the owner's language (French), with the full address of the page to act.
    with translation.override("fr"):
        assert str(event["URL"]) == "http://testserver" + reverse("secretariat:deliverables")
        assert str(event["DESCRIPTION"]) == str(DeadlineKind.DELIVERABLE.label)
    alarms = event.walk("VALARM")
    assert len(alarms) == 1 and alarms[0].decoded("TRIGGER") == -days(1)


def test_the_uid_stays_when_the_deadline_moves(db):
    staff = person("staff", "secretariat")
    a_deadline("d:1", "Moving deliverable", NOW + days(1))
    path = feed_path(signed_in(staff))
    before, _ = fetch_feed(path)
    a_deadline("d:1", "Moving deliverable", NOW + days(9))
    after, _ = fetch_feed(path)
    assert event_uids(before) == event_uids(after)
    assert next(iter(after.walk("VEVENT"))).decoded("DTSTART") == NOW + days(9)


def test_replacing_the_address_makes_the_old_one_404_and_the_new_one_work(db):
    staff = person("staff", "secretariat")
    a_deadline("d:1", "Issue brief", NOW + days(5))
    client = signed_in(staff)
    old = feed_path(client)
    confirm = page(client, reverse("deadlines:feed-replace"))
    assert "The old address stops working at once." in confirm
    assert FeedToken.objects.get().token in old  # a GET changes nothing
    response = client.post(reverse("deadlines:feed-replace"))
    assert response.status_code == 302
    new = feed_path(client)
    assert new != old
    assert Client().get(old).status_code == 404
    cal, _ = fetch_feed(new)
    assert len(cal.walk("VEVENT")) == 1


def test_a_token_opens_its_owner_s_deadlines_only(db):
    staff, mexico = person("staff", "secretariat"), delegate("mx", "MEX")
    deliverable = a_deadline("d:1", "Issue brief", NOW + days(5))
    review = a_review("r:1", "Preparatory list", NOW + days(3))
    staff_feed, delegate_feed = feed_path(signed_in(staff)), feed_path(signed_in(mexico))
    assert staff_feed != delegate_feed
    assert event_uids(fetch_feed(staff_feed)[0]) == {uid(deliverable)}
    assert event_uids(fetch_feed(delegate_feed)[0]) == {uid(review)}
    assert b"Preparatory list" not in fetch_feed(staff_feed)[1].content
    assert b"Issue brief" not in fetch_feed(delegate_feed)[1].content


def test_an_unknown_token_or_a_deactivated_owner_finds_no_feed(db):
    staff = person("staff", "secretariat")
    path = feed_path(signed_in(staff))
    unknown = reverse("deadlines-feed:feed", args=["not-a-real-token"])
    assert Client().get(unknown).status_code == 404
    User.objects.filter(pk=staff.pk).update(is_active=False)
    assert Client().get(path).status_code == 404


def test_the_feed_address_has_no_language_prefix(db):
    staff = person("staff", "secretariat")
    client = signed_in(staff)
    path = feed_path(client)
    assert path.startswith("/feeds/due/")
    with time_machine.travel(NOW, tick=False):
        french = client.get("/fr" + DUE).content.decode()
    assert f"http://testserver{path}" in french
    assert Client(headers={"accept-language": "fr"}).get(path).status_code == 200


# --- Queries do not grow with the deadlines -----------------------------------------------------


def _many(n: int) -> None:
    """n deadlines for the secretariat: a third overdue, a third to come, a third met."""
    for i in range(n):
        kind = i % 3
        a_deadline(
            f"d:{i}",
            f"Deliverable {i:03d}",
            NOW + days(i - n / 2),
            met_at=NOW - days(1) if kind == 2 else None,
        )


@pytest.mark.parametrize("size", [5, 50])
def test_the_page_and_the_feed_run_a_constant_number_of_queries(
    db, size, django_assert_num_queries
):
    staff = person("staff", "secretariat")
    _many(size)
    client = signed_in(staff)
    path = feed_path(client)
    page(client)  # warm the session
    with time_machine.travel(NOW, tick=False):
        # The session, the user, the feed token, the user's roles, delegate grants and
        # organizations (the audiences the user is in), the deadlines, the user's roles
        # again (which navigation frames the page), the header's unread count, and the
        # second factor this session gave (django-otp's device).
        with django_assert_num_queries(10):
            html = client.get(DUE).content.decode()
        # The token with its owner, the owner's roles, grants and organizations, and the
        # deadlines.
        with django_assert_num_queries(5):
            body = Client().get(path).content
    assert len(titles_in_order(html)) == size
    assert len(Calendar.from_ical(body).walk("VEVENT")) == size - size // 3


# --- The page on a phone -----------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_page_fits_a_390_pixel_phone(live_server, gcm, browser):
    from tests.test_accessibility import _signed_in_context

    url = registry_url(gcm, "secretariat")
    context = _signed_in_context(browser, live_server, "secretariat")
    overflow = "() => document.documentElement.scrollWidth - window.innerWidth"
    try:
        tab = context.new_page()
        tab.set_viewport_size({"width": 390, "height": 844})
        tab.goto(live_server.url + url)
        assert tab.evaluate(overflow) <= 0, "the page scrolls sideways at 390 px"
        tab.get_by_text("Show the deadline met in the last 30 days").click()
        assert tab.get_by_role("heading", name="Registry: met last week").is_visible()
        assert tab.evaluate(overflow) <= 0, "the opened section scrolls sideways at 390 px"
        assert tab.get_by_label("Your feed address").input_value().startswith("http")
        tab.get_by_role("button", name="Replace the address").click()
        assert "The old address stops working at once." in tab.content()
        assert tab.evaluate(overflow) <= 0, "the confirmation scrolls sideways at 390 px"
    finally:
        context.close()


# --- The registry of pages (tests/pages.py) ----------------------------------------------------


def registry_url(process, which: str) -> str:
    """URLs for the accessibility and HTML checks: the page of the registry's secretariat
    user (an overdue, an upcoming and a met deliverable, and a feed address), its
    confirmation to replace the address, and the page of the registry's delegate (the
    review pages' list under review, and an overdue deliverable of the Member States;
    no feed address yet)."""
    from django.utils import timezone

    from tests.pages import user_with_role
    from tests.test_review_pages import registry_url as review_registry_url

    now = timezone.now()
    if which == "delegate":
        review_registry_url(process, "lists")  # grants Kenya; a list under review
        a_deadline(
            "registry:states",
            "Registry: Member States' overdue input",
            now - days(2),
            audience=[deadlines.DELEGATES],
        )
    else:
        a_deadline("registry:late", "Registry: overdue deliverable", now - days(2))
        a_deadline("registry:soon", "Registry: upcoming deliverable", now + days(6))
        a_deadline("registry:met", "Registry: met last week", now - days(8), met_at=now - days(7))
        deadlines.create_feed_token(user=user_with_role("secretariat"))
    with translation.override("en"):
        return reverse("deadlines:feed-replace" if which == "replace" else "deadlines:due")


@pytest.mark.parametrize("which", ["secretariat", "replace", "delegate"])
def test_the_registry_pages_answer(gcm, which):
    from tests.pages import client_for

    role = "delegate" if which == "delegate" else "secretariat"
    html = client_for(role).get(registry_url(gcm, which)).content.decode()
    if which == "delegate":
        assert "Registry list under review" in html and "Overdue:" in html
        assert "Create my feed address" in html
    elif which == "secretariat":
        assert "Registry: overdue deliverable" in html and 'id="feed-url"' in html
