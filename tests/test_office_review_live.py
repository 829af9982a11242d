"""The Office during a review (issue 14, item 5), through the real pages: the standing
objections and the bases received per entry, live and filterable; the audit trail as
sentences in the reader's language; extending a deadline (later only, before it passes,
with a reason; audited, every delegate told, reminders re-planned); steps that cannot
succeed not offered; an organization not approved on an earlier list flagged."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from compact_process.audit.models import AuditEvent
from compact_process.deadlines import services as deadlines
from compact_process.deadlines.models import Deadline
from compact_process.notifications import services as notifications
from compact_process.notifications.models import Notification
from stakeholders import services, trail
from stakeholders.enums import EntryOutcome, ListStatus
from stakeholders.models import StakeholderList
from stakeholders.services import ReviewError
from tests.people import delegate, person
from tests.test_review_pages import AFTER, DEADLINE, DURING, build_list, signed_in, state

UTC = datetime.UTC
NS = "stakeholders-office"
ROOT = Path(__file__).resolve().parent.parent


def url(name: str, *args, lang: str = "en") -> str:
    with translation.override(lang):
        return reverse(f"{NS}:{name}", args=args)


def office_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username="office").first() or person(
        "office", "pga_office"
    )


def row(html: str, entry) -> str:
    return html.split(f'id="entry-{entry.pk}"')[1].split("</tr>")[0]


def count_in(html: str, entry) -> int:
    return int(re.search(r'class="objection-count">(\d+)<', row(html, entry)).group(1))


@pytest.fixture
def review(gcm):
    """A list of 3 under review: Mexico (a basis, not to be disclosed) and Germany (no
    basis, may be disclosed) object to the first entry; France objected to the second
    and withdrew; Kenya asked about the first and the Office shared."""
    lst, office, entries = build_list(gcm, 3)
    mexico, germany, france = delegate("mx", "MEX"), delegate("de", "DEU"), delegate("fr", "FRA")
    with time_machine.travel(DURING, tick=False):
        services.lodge_objection(
            entry=entries[0],
            member_state=state("MEX"),
            user=mexico,
            basis="Its activities contradict our national law.",
        )
        services.lodge_objection(
            entry=entries[0], member_state=state("DEU"), user=germany, disclose_identity=True
        )
        withdrawn = services.lodge_objection(
            entry=entries[1], member_state=state("FRA"), user=france, basis="A mistake"
        )
        services.withdraw_objection(objection=withdrawn, user=france)
        request = services.request_information(
            entry=entries[0], member_state=state("KEN"), user=delegate("ke", "KEN")
        )
        services.share_information(request=request, actor=office)
    return {"list": lst, "office": office, "entries": entries}


# --- 1. The live review page ----------------------------------------------------------------


def test_the_office_sees_the_standing_objections_and_bases_during_the_review(review):
    lst, first, second, third = review["list"], *review["entries"]
    client = signed_in(review["office"])
    with time_machine.travel(DURING + datetime.timedelta(hours=1)):
        html = client.get(url("list", lst.pk)).content.decode()
    assert count_in(html, first) == 2
    assert count_in(html, second) == 0  # France withdrew: not counted
    assert count_in(html, third) == 0
    # The bases received, and each State with what it allowed (the Office receives the
    # objections, footnote 5: it knows who objected).
    assert "Its activities contradict our national law." in row(html, first)
    assert "Mexico" in row(html, first) and "identity not to be disclosed" in row(html, first)
    assert "No basis given, identity may be disclosed on request: Germany" in row(html, first)
    assert "Withdrawn: France" in row(html, second)
    assert "2 standing objections, on 1 of the entries" in html
    assert "Pending" not in html  # no outcome column during the review


def test_the_count_is_live_an_objection_made_now_shows_at_once(review):
    lst, _first, second, _third = review["list"], *review["entries"]
    client = signed_in(review["office"])
    with time_machine.travel(DURING + datetime.timedelta(hours=2)):
        services.lodge_objection(
            entry=second, member_state=state("BRA"), user=delegate("br", "BRA"), basis="New"
        )
        html = client.get(url("list", lst.pk)).content.decode()
    assert count_in(html, second) == 1 and "New" in row(html, second)


def test_the_entries_filter_by_objections_without_javascript(review):
    lst, first, second, third = review["list"], *review["entries"]
    client = signed_in(review["office"])
    with time_machine.travel(DURING):
        page = client.get(url("list", lst.pk)).content.decode()
        form = page.split('aria-labelledby="objection-filter-title"')[1].split("</form>")[0]
        assert 'name="objections"' in form and "<button" in form  # a plain GET form
        with_ = client.get(url("list", lst.pk), {"objections": "with"}).content.decode()
        without = client.get(url("list", lst.pk), {"objections": "without"}).content.decode()
        everything = client.get(url("list", lst.pk), {"objections": ""}).content.decode()
        nonsense = client.get(url("list", lst.pk), {"objections": "x"})
    assert f'id="entry-{first.pk}"' in with_
    assert f'id="entry-{second.pk}"' not in with_ and f'id="entry-{third.pk}"' not in with_
    assert f'id="entry-{first.pk}"' not in without
    assert f'id="entry-{second.pk}"' in without and f'id="entry-{third.pk}"' in without
    assert all(f'id="entry-{e.pk}"' in everything for e in (first, second, third))
    assert nonsense.status_code == 200  # an unknown choice shows everything


def test_the_filter_is_kept_from_page_to_page(gcm):
    lst, office, entries = build_list(gcm, 60)
    mexico = delegate("mx", "MEX")
    with time_machine.travel(DURING, tick=False):
        for entry in entries[:55]:
            services.lodge_objection(entry=entry, member_state=state("MEX"), user=mexico)
        client = signed_in(office)
        html = client.get(url("list", lst.pk), {"objections": "with"}).content.decode()
        assert "objections=with&amp;page=2" in html
        second = client.get(url("list", lst.pk), {"objections": "with", "page": 2})
    html = second.content.decode()
    assert f'id="entry-{entries[54].pk}"' in html and f'id="entry-{entries[55].pk}"' not in html


def test_the_live_page_runs_the_same_queries_at_any_size(gcm, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.test_review_pages import object_directly

    small, office, small_entries = build_list(gcm, 5, title="Small list")
    large, _office, large_entries = build_list(gcm, 120, title="Large list")
    user = delegate("mx", "MEX")
    object_directly(small_entries, "MEX", user)
    object_directly(large_entries, "MEX", user)
    object_directly(large_entries[:60], "DEU", user)
    object_directly(large_entries, "FRA", user, withdrawn=True)
    client = signed_in(office)
    with time_machine.travel(DURING):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("list", small.pk)).status_code == 200
        with django_assert_num_queries(len(queries)):
            html = client.get(url("list", large.pk)).content.decode()
    assert count_in(html, large_entries[0]) == 2


# --- 2. The trail as sentences ------------------------------------------------------------


RAW_KEYS = ("objection.lodged", "objection.withdrawn", "list.submitted", "with_basis", "EGY")


def test_the_trail_reads_as_sentences_never_raw_keys(review):
    client = signed_in(review["office"])
    html = client.get(url("audit")).content.decode()
    table = html.split('id="audit-events"')[1].split("</table>")[0]
    organization = str(review["entries"][0].application.organization)
    assert (
        f'Mexico objected to <a href="{url("application", review["entries"][0].application_id)}">'
        f"{organization}</a>, giving a basis, not allowing its identity to be shared." in table
    )
    assert "Germany objected to" in table and "giving no basis, allowing its identity" in table
    assert "France withdrew its objection to" in table
    assert "Kenya</a> asked for the information on the objections to" in table
    assert "The Office shared the information on" in table and "with Kenya (2 items)" in table
    lst = review["list"]
    assert (
        f'The Office submitted <a href="{url("list", lst.pk)}">Preparatory list</a> '
        "(3 entries) to Member States for review until <time" in table
    )
    assert "20 April 2030, 23:59 UTC" in table
    for raw in (*RAW_KEYS, "state", "disclose_identity", "request_id"):
        assert f">{raw}<" not in table and f"<code>{raw}" not in table
    assert "objection.lodged" not in table and "with_basis" not in table


def test_the_trail_names_states_in_the_readers_language(review):
    client = signed_in(review["office"])
    html = client.get(url("audit", lang="fr")).content.decode()
    table = html.split('id="audit-events"')[1].split("</table>")[0]
    assert 'lang="fr"' in html
    assert "Mexique" in table and "Allemagne" in table and "Kenya" in table
    assert "Mexico" not in table and "Germany" not in table
    assert "20 avril 2030" in table
    assert "objection.lodged" not in table and "with_basis" not in table


def test_an_unknown_or_odd_event_reads_as_a_generic_sentence(gcm):
    office = person("office", "pga_office")
    AuditEvent.objects.create(actor=office, action="mystery.thing_done", data={"x": 1})
    AuditEvent.objects.create(actor=office, action="list.submitted", list_id=999, data={})
    html = signed_in(office).get(url("audit")).content.decode()
    assert "An event was recorded: mystery thing done." in html
    assert "An event was recorded: list submitted." in html


def test_every_recorded_action_has_a_sentence():
    """Every ``record("…")`` in the code (and the extension) reads as a sentence."""
    pattern = re.compile(r"""\brecord\(\s*["']([a-z_]+\.[a-z_]+)["']""")
    found = set()
    for package in ("stakeholders", "phases", "compact_process"):
        for path in (ROOT / package).rglob("*.py"):
            found |= set(pattern.findall(path.read_text(encoding="utf-8")))
    assert "objection.lodged" in found and "review.extended" in found
    assert not sorted(found - set(trail.SENTENCES))


# --- 3. Extending the deadline ----------------------------------------------------------------


NEW_DEADLINE = DEADLINE + datetime.timedelta(days=5)
TYPED = NEW_DEADLINE.strftime("%Y-%m-%dT%H:%M")


def test_extending_confirms_then_moves_the_deadline_tells_delegates_and_replans(gcm):
    lst, office, _entries = build_list(gcm, 2)
    mexico = delegate("mx", "MEX", language="en")
    germany = delegate("de", "DEU", language="fr")
    client = signed_in(office)
    reason = "Several missions asked for more time over the holidays."
    twelve_hours_before = DEADLINE - datetime.timedelta(hours=12)
    with time_machine.travel(twelve_hours_before, tick=False):
        deadlines.scan()  # the 24-hour reminder of the current deadline
        before = set(Notification.objects.filter(kind="reminder").values_list("key", flat=True))
        assert before
        page = client.get(url("list", lst.pk)).content.decode()
        assert url("list-extend", lst.pk) in page
        form = client.get(url("list-extend", lst.pk)).content.decode()
        assert 'type="datetime-local"' in form and 'name="reason"' in form and "UTC" in form

        # The first POST only asks for confirmation: nothing changes yet.
        response = client.post(
            url("list-extend", lst.pk), {"zone": "UTC", "deadline": TYPED, "reason": reason}
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Every Member State delegate is told the new deadline" in html
        assert "25 April 2030, 23:59" in html and reason in html
        lst.refresh_from_db()
        assert lst.review_deadline == DEADLINE
        assert not Notification.objects.filter(kind="review.extended").exists()
        # Back from the confirmation: the form again, with what was typed.
        back = client.post(
            url("list-extend", lst.pk),
            {"zone": "UTC", "deadline": TYPED, "reason": reason, "back": "yes"},
        )
        assert back.status_code == 200
        assert f'value="{TYPED}"' in back.content.decode() and reason in back.content.decode()

        response = client.post(
            url("list-extend", lst.pk),
            {"zone": "UTC", "deadline": TYPED, "reason": reason, "confirm": "yes"},
        )
        assert response.status_code == 302 and response["Location"] == url("list", lst.pk)
    lst.refresh_from_db()
    new = NEW_DEADLINE.replace(second=0)
    assert lst.review_deadline == new  # read as UTC
    assert lst.status == ListStatus.UNDER_REVIEW

    (event,) = AuditEvent.objects.filter(action="review.extended", list_id=lst.pk)
    assert event.data == {
        "before": DEADLINE.isoformat(),
        "after": new.isoformat(),
        "reason": reason,
    }
    # The review's deadline row moved with it (flow 3): reminders re-plan on the new date.
    assert Deadline.objects.get(key=f"list-review:{lst.pk}").due_at == new
    with time_machine.travel(new - datetime.timedelta(hours=12), tick=False):
        deadlines.scan()
    replanned = Notification.objects.filter(kind="reminder", recipient=mexico).exclude(
        key__in=before
    )
    assert replanned.exists()
    assert all(n.params["due_at"] == {"$datetime": new.isoformat()} for n in replanned)

    # Every delegate is told, in the inbox and by e-mail in their own language.
    told = Notification.objects.filter(kind="review.extended")
    assert set(told.values_list("recipient__username", flat=True)) >= {"mx", "de"}
    inbox = signed_in(mexico).get(reverse("notifications:inbox")).content.decode()
    # The inbox shows the e-mail's subject: the title isolated by FSI … PDI.
    assert "The review of “\u2068Preparatory list\u2069” is extended until 25 April 2030" in inbox
    mail.outbox.clear()
    notifications.send_due(now=new - datetime.timedelta(hours=11))
    (english,) = [m for m in mail.outbox if mexico.email in m.to and "extended" in m.body.lower()]
    assert reason in english.body and "25 April 2030" in english.body
    assert f"/review/{lst.pk}/" in english.body
    (french,) = [m for m in mail.outbox if germany.email in m.to and reason in m.body]
    assert french.extra_headers["Content-Language"] == "fr"
    assert "25 avril 2030" in french.body


def test_a_shorter_deadline_is_refused_keeping_what_was_typed(gcm):
    lst, office, _entries = build_list(gcm, 1)
    client = signed_in(office)
    earlier = (DEADLINE - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    with time_machine.travel(DURING, tick=False):
        response = client.post(
            url("list-extend", lst.pk),
            {"zone": "UTC", "deadline": earlier, "reason": "Shorten, please"},
        )
        assert response.status_code == 422
        html = response.content.decode()
        assert 'role="alert"' in html and "never shortened" in html
        assert f'value="{earlier}"' in html and "Shorten, please" in html
        # The service refuses it too, whoever calls it.
        with pytest.raises(ReviewError):
            services.extend_review(
                stakeholder_list=lst,
                deadline=DEADLINE - datetime.timedelta(days=1),
                reason="x",
                actor=office,
            )
    lst.refresh_from_db()
    assert lst.review_deadline == DEADLINE
    assert not AuditEvent.objects.filter(action="review.extended").exists()
    assert not Notification.objects.filter(kind="review.extended").exists()


def test_the_reason_is_required(gcm):
    lst, office, _entries = build_list(gcm, 1)
    client = signed_in(office)
    with time_machine.travel(DURING, tick=False):
        response = client.post(
            url("list-extend", lst.pk),
            {"zone": "UTC", "deadline": TYPED, "reason": "   ", "confirm": "yes"},
        )
        assert response.status_code == 422
        html = response.content.decode()
        assert "Give the reason for the extension" in html and f'value="{TYPED}"' in html
        with pytest.raises(ReviewError):
            services.extend_review(
                stakeholder_list=lst, deadline=NEW_DEADLINE, reason=" ", actor=office
            )
    lst.refresh_from_db()
    assert lst.review_deadline == DEADLINE


def test_no_extension_once_the_deadline_passed(gcm):
    lst, office, _entries = build_list(gcm, 1)
    client = signed_in(office)
    just_after = DEADLINE + datetime.timedelta(seconds=1)
    with time_machine.travel(just_after, tick=False):
        page = client.get(url("list", lst.pk)).content.decode()
        assert url("list-extend", lst.pk) not in page
        html = client.get(url("list-extend", lst.pk)).content.decode()
        assert "can no longer be extended" in html and 'name="reason"' not in html
        response = client.post(
            url("list-extend", lst.pk),
            {"zone": "UTC", "deadline": TYPED, "reason": "Late", "confirm": "yes"},
        )
        assert response.status_code == 422
        with pytest.raises(ReviewError, match="can no longer be extended"):
            services.extend_review(
                stakeholder_list=lst, deadline=NEW_DEADLINE, reason="Late", actor=office
            )
    lst.refresh_from_db()
    assert lst.review_deadline == DEADLINE


def test_only_the_office_extends(gcm):
    lst, _office, _entries = build_list(gcm, 1)
    with time_machine.travel(DURING, tick=False):
        with pytest.raises(PermissionDenied):
            services.extend_review(
                stakeholder_list=lst,
                deadline=NEW_DEADLINE,
                reason="x",
                actor=person("sec", "secretariat"),
            )
        response = signed_in(person("sec2", "secretariat")).post(
            url("list-extend", lst.pk),
            {"zone": "UTC", "deadline": TYPED, "reason": "x", "confirm": "yes"},
        )
        assert response.status_code == 403


# --- 4. Steps not offered when they cannot succeed ---------------------------------------------


def test_an_empty_list_is_not_offered_for_submission(gcm):
    office = person("office", "pga_office")
    lst = services.create_list(process=gcm, purpose="preparatory", title="Empty", actor=office)
    client = signed_in(office)
    page = client.get(url("list", lst.pk)).content.decode()
    assert url("list-submit", lst.pk) not in page
    assert "An empty list cannot be submitted to Member States" in page
    submit = client.get(url("list-submit", lst.pk)).content.decode()
    assert 'name="deadline"' not in submit
    assert "An empty list cannot be submitted to Member States" in submit
    response = client.post(
        url("list-submit", lst.pk), {"zone": "UTC", "deadline": "2040-01-01T00:00"}
    )
    assert response.status_code == 422
    lst.refresh_from_db()
    assert lst.status == ListStatus.DRAFT


def test_the_close_is_offered_only_after_the_deadline_and_its_grace(gcm):
    lst, office, _entries = build_list(gcm, 1)
    client = signed_in(office)
    close = url("close", lst.pk)
    for moment in (DURING, DEADLINE, AFTER - datetime.timedelta(seconds=1)):
        with time_machine.travel(moment, tick=False):
            page = client.get(url("list", lst.pk)).content.decode()
            assert f'href="{close}"' not in page, moment
            assert "The review can be closed from" in page
            assert "21 April 2030" in page or "20 April 2030" in page
            confirm = client.get(close).content.decode()
            assert 'class="danger"' not in confirm and "The review can be closed from" in confirm
    with time_machine.travel(AFTER, tick=False):
        page = client.get(url("list", lst.pk)).content.decode()
        assert f'href="{close}"' in page and "The review can be closed from" not in page
        assert 'class="danger"' in client.get(close).content.decode()


# --- 5. An organization not approved on an earlier list -------------------------------------


def test_an_organization_not_approved_earlier_is_flagged_when_added_again(gcm):
    earlier, office, entries = build_list(gcm, 2)
    blocked = entries[0]
    with time_machine.travel(DURING, tick=False):
        for username, iso3 in (("mx", "MEX"), ("de", "DEU"), ("fr", "FRA")):
            services.lodge_objection(
                entry=blocked, member_state=state(iso3), user=delegate(username, iso3)
            )
    closed_at = datetime.datetime(2030, 4, 25, 9, 0, tzinfo=UTC)
    services.close_review(list_id=earlier.pk, now=closed_at)
    blocked.refresh_from_db()
    assert blocked.outcome == EntryOutcome.NOT_APPROVED

    again = services.create_list(
        process=gcm, purpose="preparatory", title="Second preparatory list", actor=office
    )
    other_purpose = services.create_list(
        process=gcm, purpose="conference", title="Conference list", actor=office
    )
    note = "Not approved on “Preparatory list” closed 25 April 2030: 3 objections"
    client = signed_in(office)
    page = client.get(url("list", again.pk)).content.decode()
    candidates = page.split('id="earlier-candidates"')[1].split("</div>")[0]
    name = str(blocked.application.organization)
    assert name in candidates and note in candidates
    assert str(entries[1].application.organization) not in candidates  # approved: no note
    assert note not in client.get(url("list", other_purpose.pk)).content.decode()

    response = client.post(url("list", again.pk), {"application": blocked.application_id})
    assert response.status_code == 302
    entry = again.entries.get()
    page = client.get(url("list", again.pk)).content.decode()
    assert note in row(page, entry)
    assert StakeholderList.objects.get(pk=again.pk).status == ListStatus.DRAFT
