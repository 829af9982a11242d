"""Issue 17, item 2: an organization's status page says, for each purpose it applied for,
where the application is, what comes next, by when and what to do; the application names
its purpose (OP 6(b) or 6(c)), chosen among the windows open; a closed window says when
the next opens or that it closed, never a refusal before anything was done."""

from __future__ import annotations

import datetime
import html
import re

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from compact_process.audit.models import AuditEvent
from stakeholders import services, trail
from stakeholders import services_participation as participation
from stakeholders.enums import ApplicationState, Channel, ListPurpose
from stakeholders.models import Application
from stakeholders.selectors import office as office_selectors
from tests.people import delegate, person
from tests.test_registration import _apply_data, member_of

NS = "stakeholders-registration"
UTC = datetime.UTC
# The real window (14 March–17 April 2017, New York time) and the first meetings of May
# 2017, whose nominations close two weeks before: 24 April 2017 for Geneva's 8 May.
INSIDE = datetime.datetime(2017, 4, 1, 12, 0, tzinfo=UTC)
REVIEW_DEADLINE = datetime.datetime(2017, 4, 5, 21, 59, 59, tzinfo=UTC)
AFTER_CLOSE = datetime.datetime(2017, 4, 6, 9, 0, tzinfo=UTC)
BEFORE_WINDOW = datetime.datetime(2017, 3, 1, 12, 0, tzinfo=UTC)
AFTER_WINDOW = datetime.datetime(2017, 5, 1, 12, 0, tzinfo=UTC)
PREPARATORY = str(ListPurpose.PREPARATORY.label)
CONFERENCE = str(ListPurpose.CONFERENCE.label)


def text(fragment: str) -> str:
    """What a reader reads: tags and bidirectional isolates dropped, spaces collapsed,
    entities decoded."""
    fragment = re.sub(r"</?(bdi|q)\b[^>]*>", "", fragment)  # inline: no space
    fragment = re.sub(r"\s*<[^>]+>\s*([.,:;])", r"\1", fragment)  # "<time>…</time>."
    fragment = re.sub(r"<[^>]+>", " ", fragment)
    fragment = re.sub("[\u2066-\u2069]", "", html.unescape(fragment))
    return " ".join(fragment.split())


def card(client, organization, application) -> str:
    """The status page's card of one application, as HTML."""
    page = client.get(reverse(f"{NS}:status", args=[organization.pk]))
    assert page.status_code == 200
    found = re.search(
        rf'<li class="application-card[^"]*" id="application-{application.pk}">(.*?)</li>\s*'
        rf"(?:<li class=\"application-card|</ul>)",
        page.content.decode(),
        re.S,
    )
    assert found, "no card for the application"
    return found.group(1)


def status_text(client, organization) -> str:
    return text(client.get(reverse(f"{NS}:status", args=[organization.pk])).content.decode())


def conference_window(process, opens, closes):
    return participation.set_application_window(
        process=process,
        purpose=ListPurpose.CONFERENCE,
        opens_at=opens,
        closes_at=closes,
        actor=person("sec", "secretariat"),
    )


def apply(user, organization, process, purpose=None):
    return services.apply_for_accreditation(
        process=process,
        organization=organization,
        purpose=purpose,
        activities="Legal aid to migrants",
        representatives=[("Grace W.", "woman")],
        actor=user,
    )


# --- Each stage names the next step and its deadline ----------------------------------------


def test_the_status_page_names_the_next_step_and_the_deadline_at_each_stage(client, gcm):
    services.ensure_default_window(gcm)
    office = person("office", "pga_office")
    user, org = member_of("rep")
    client.force_login(user)
    with time_machine.travel(INSIDE, tick=False):
        application = apply(user, org, gcm)
        shown = card(client, org, application)
        assert PREPARATORY in text(shown)
        assert "The Office screens it" in text(shown)
        assert "Nothing for now." in text(shown)

        services.screen_application(
            application=application,
            state=ApplicationState.NEEDS_INFORMATION,
            reason="Which countries do you work in?",
            actor=office,
        )
        shown = card(client, org, application)
        assert "Which countries do you work in?" in text(shown)
        answer = reverse(f"{NS}:answer", args=[org.pk, application.pk])
        assert f'href="{answer}"' in shown and "Answer the Office" in text(shown)

        services.answer_information_request(application=application, text="Kenya", actor=user)
        services.screen_application(
            application=application, state=ApplicationState.SCREENED_IN, actor=office
        )
        shown = text(card(client, org, application))
        assert "not on a list submitted to Member States yet" in shown
        assert "The Office proposes a list of organizations to Member States" in shown

        lst = services.create_list(
            process=gcm, purpose=ListPurpose.PREPARATORY, title="Proposed list", actor=office
        )
        services.add_entry(stakeholder_list=lst, application=application, actor=office)
        shown = text(card(client, org, application))
        assert "not on a list submitted" in shown  # a draft list is the Office's alone

        services.submit_list(stakeholder_list=lst, deadline=REVIEW_DEADLINE, actor=office)
        shown = card(client, org, application)
        assert "Under review by Member States until 5 April 2017, 21:59 UTC" in text(shown)
        assert "non-objection basis" in text(shown)
        assert text(shown).lower().count("under review") == 2  # the state and the sentence
        assert "under review under review" not in text(shown).lower()
        assert '<time datetime="2017-04-05T21:59:59Z" data-instant="seconds">' in shown
        assert "By when" in text(shown)

    with time_machine.travel(AFTER_CLOSE, tick=False):
        services.close_review(list_id=lst.pk, now=AFTER_CLOSE)
        shown = card(client, org, application)
        assert "Approved on the final list “Proposed list”" in text(shown)
        meetings = reverse("stakeholders-participation:meetings", args=[org.pk])
        assert f'href="{meetings}"' in shown
        # The next meeting of the preparatory process whose nominations are open.
        assert re.search(r"Nominations for .+ close on 24 April 2017, \d\d:\d\d UTC", text(shown))


def test_refused_and_not_approved_applications_say_why(client, gcm):
    services.ensure_default_window(gcm)
    office = person("office", "pga_office")
    refused_user, refused = member_of("refused", "Refused Org")
    objected_user, objected = member_of("objected", "Objected Org", "MEX")
    with time_machine.travel(INSIDE, tick=False):
        out = apply(refused_user, refused, gcm)
        services.screen_application(
            application=out,
            state=ApplicationState.SCREENED_OUT,
            reason="No activity related to migration.",
            actor=office,
        )
        listed = apply(objected_user, objected, gcm)
        services.screen_application(
            application=listed, state=ApplicationState.SCREENED_IN, actor=office
        )
        lst = services.create_list(
            process=gcm, purpose=ListPurpose.PREPARATORY, title="Proposed list", actor=office
        )
        entry = services.add_entry(stakeholder_list=lst, application=listed, actor=office)
        services.submit_list(stakeholder_list=lst, deadline=REVIEW_DEADLINE, actor=office)
        services.lodge_objection(
            entry=entry, member_state=entry_state("DEU"), user=delegate("de", "DEU")
        )
    client.force_login(refused_user)
    shown = text(card(client, refused, out))
    assert "The Office screened it out. Its reason: No activity related to migration." in shown
    assert "closes this application" in shown
    with time_machine.travel(AFTER_CLOSE, tick=False):
        services.close_review(list_id=lst.pk, now=AFTER_CLOSE)
        client.force_login(objected_user)
        shown = text(card(client, objected, listed))
    assert "Not approved on the list “Proposed list”: a Member State objected." in shown
    assert "Germany" not in shown  # the objecting State is never named to the organization


def entry_state(iso3: str):
    from phases.models import MemberState

    return MemberState.objects.get(iso3=iso3)


# --- Closed windows -------------------------------------------------------------------------


def test_with_no_window_open_the_apply_page_says_when_and_the_status_page_has_no_apply(client, gcm):
    services.ensure_default_window(gcm)
    user, org = member_of("rep")
    client.force_login(user)
    url = reverse(f"{NS}:apply", args=[org.pk])
    status = reverse(f"{NS}:status", args=[org.pk])
    with time_machine.travel(BEFORE_WINDOW, tick=False):
        page = client.get(url)
        assert page.status_code == 200
        shown = text(page.content.decode())
        assert "This was refused" not in shown
        assert 'role="alert"' not in page.content.decode()
        assert f"{PREPARATORY}: the window opens on 14 March 2017, 04:00 UTC" in shown
        assert "<form" not in page.content.decode().split("<main")[1]
        listing = client.get(status).content.decode()
        assert f'href="{url}"' not in listing
        assert (
            f"{PREPARATORY}: the next application window opens on 14 March 2017, 04:00 UTC."
            in text(listing)
        )
    with time_machine.travel(AFTER_WINDOW, tick=False):
        page = client.get(url)
        assert page.status_code == 200
        shown = text(page.content.decode())
        assert "This was refused" not in shown
        assert f"{PREPARATORY}: applications closed on 18 April 2017, 04:00 UTC." in shown
        listing = client.get(status).content.decode()
        assert f'href="{url}"' not in listing
        assert f"{PREPARATORY}: applications closed on 18 April 2017, 04:00 UTC." in text(listing)
        # A POST is refused, with the reason, and nothing is written.
        response = client.post(url, _apply_data())
        assert response.status_code == 422
        assert "This was refused; nothing was changed" in text(response.content.decode())
    assert not Application.objects.exists()
    with time_machine.travel(INSIDE, tick=False):
        listing = client.get(status).content.decode()
        assert (
            f'href="{url}"' in listing
            and f"Apply for special accreditation: {PREPARATORY}" in text(listing)
        )


# --- Choosing the purpose -------------------------------------------------------------------


def test_the_organization_chooses_among_the_purposes_whose_window_is_open(client, gcm):
    services.ensure_default_window(gcm)
    user, org = member_of("rep")
    client.force_login(user)
    url = reverse(f"{NS}:apply", args=[org.pk])
    with time_machine.travel(INSIDE, tick=False):
        # One window open: it is chosen already, and the page says it is the only one.
        form = client.get(url).content.decode()
        assert re.search(
            r'<input type="radio" name="application-purpose" value="preparatory"[^>]*checked', form
        )
        assert "conference" not in re.findall(r'name="application-purpose" value="(\w+)"', form)
        assert f"Only one application window is open now: {PREPARATORY}." in text(form)

        conference_window(gcm, INSIDE - datetime.timedelta(days=1), AFTER_WINDOW)
        form = client.get(url).content.decode()
        assert re.findall(r'name="application-purpose" value="(\w+)"', form) == [
            "preparatory",
            "conference",
        ]
        assert " checked" not in form.split('name="application-purpose"')[1].split(">")[0]
        missing = client.post(url, {**_apply_data(), "application-purpose": ""})
        assert missing.status_code == 422
        assert not Application.objects.exists()

        response = client.post(url, _apply_data(**{"application-purpose": "conference"}))
        assert response.status_code == 302
        application = Application.objects.get(organization=org)
        assert application.purpose == ListPurpose.CONFERENCE

        # Only the purpose not applied for is offered now; the status page names both.
        form = client.get(url).content.decode()
        assert re.findall(r'name="application-purpose" value="(\w+)"', form) == ["preparatory"]
        listing = text(client.get(reverse(f"{NS}:status", args=[org.pk])).content.decode())
        assert f"Apply for special accreditation: {PREPARATORY}" in listing
        assert f"Apply for special accreditation: {CONFERENCE}" not in listing
        assert CONFERENCE in listing


def test_one_application_per_purpose(client, gcm):
    services.ensure_default_window(gcm)
    user, org = member_of("rep")
    with time_machine.travel(INSIDE, tick=False):
        conference_window(gcm, INSIDE - datetime.timedelta(days=1), AFTER_WINDOW)
        apply(user, org, gcm, ListPurpose.PREPARATORY)
        with pytest.raises(services.ReviewError, match="already applied: The preparatory"):
            apply(user, org, gcm, ListPurpose.PREPARATORY)
        apply(user, org, gcm, ListPurpose.CONFERENCE)
    assert sorted(Application.objects.values_list("purpose", flat=True)) == [
        "conference",
        "preparatory",
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            process=gcm, organization=org, channel=Channel.SPECIAL, purpose="conference"
        )
    # A registration through the ECOSOC or NHRI list covers both purposes: no purpose.
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            process=gcm, organization=org, channel=Channel.ECOSOC, purpose="conference"
        )


def test_an_entry_goes_only_on_a_list_of_its_purpose(client, gcm):
    services.ensure_default_window(gcm)
    office = person("office", "pga_office")
    user, org = member_of("rep")
    with time_machine.travel(INSIDE, tick=False):
        application = apply(user, org, gcm)
    services.screen_application(
        application=application, state=ApplicationState.SCREENED_IN, actor=office
    )
    conference = services.create_list(
        process=gcm, purpose=ListPurpose.CONFERENCE, title="Conference list", actor=office
    )
    preparatory = services.create_list(
        process=gcm, purpose=ListPurpose.PREPARATORY, title="Preparatory list", actor=office
    )
    assert list(office_selectors.candidates(conference)) == []
    assert list(office_selectors.candidates(preparatory)) == [application]
    with pytest.raises(services.ReviewError, match="a list of the purpose it applied for"):
        services.add_entry(stakeholder_list=conference, application=application, actor=office)
    assert not conference.entries.exists()
    # The Office reads which purpose an application is for.
    client.force_login(office)
    page = client.get(reverse("stakeholders-office:application", args=[application.pk]))
    assert f"Applies for {PREPARATORY}" in text(page.content.decode())


def test_the_audit_trail_names_the_purpose_applied_for(gcm):
    services.ensure_default_window(gcm)
    user, org = member_of("rep")
    with time_machine.travel(INSIDE, tick=False):
        application = apply(user, org, gcm)
    event = AuditEvent.objects.get(action="application.submitted")
    assert event.data["purpose"] == "preparatory"
    sentence = text(str(trail.sentences([event])[0][1]))
    assert f"applied ({PREPARATORY})" in sentence
    assert application.pk


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_applications_made_before_purposes_take_their_lists_purpose(gcm):
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from phases.models import MemberState

    before = ("stakeholders", "0007_names_without_hidden_characters")
    try:
        call_command("migrate", *before, verbosity=0)
        old = MigrationExecutor(connection).loader.project_state(before).apps
        Organization = old.get_model("stakeholders", "Organization")
        OldApplication = old.get_model("stakeholders", "Application")
        StakeholderList = old.get_model("stakeholders", "StakeholderList")
        ListEntry = old.get_model("stakeholders", "ListEntry")
        process_id = gcm.pk
        kenya = MemberState.objects.get(iso3="KEN").pk

        def application(name: str, channel: str = "special"):
            organization = Organization.objects.create(
                name=name, kind="ngo", country_id=kenya, email="o@example.org"
            )
            return OldApplication.objects.create(
                process_id=process_id,
                organization=organization,
                channel=channel,
                activities="x",
                state="screened_in",
            )

        listed, unlisted = application("On a conference list"), application("On no list")
        registered = application("Registered", channel="ecosoc")
        conference = StakeholderList.objects.create(
            process_id=process_id, purpose="conference", title="Conference list"
        )
        ListEntry.objects.create(stakeholder_list=conference, application=listed)
    finally:
        call_command("migrate", verbosity=0)
    purposes = dict(Application.objects.values_list("pk", "purpose"))
    assert purposes[listed.pk] == "conference"
    assert purposes[unlisted.pk] == "preparatory"
    assert purposes[registered.pk] == ""


def test_an_organization_that_applied_for_one_purpose_is_reminded_of_the_other(gcm):
    from compact_process.deadlines import services as deadlines
    from stakeholders.deadlines import window_key

    preparatory = services.ensure_default_window(gcm)
    user, org = member_of("rep")
    with time_machine.travel(INSIDE, tick=False):
        conference = conference_window(gcm, INSIDE - datetime.timedelta(days=1), AFTER_WINDOW)
        keys = {window_key(preparatory), window_key(conference)}
        assert {d.key for d in deadlines.for_user(user)} == keys
        apply(user, org, gcm, ListPurpose.PREPARATORY)
        assert [d.key for d in deadlines.for_user(user)] == [window_key(conference)]
        apply(user, org, gcm, ListPurpose.CONFERENCE)
        assert not deadlines.for_user(user).exists()
