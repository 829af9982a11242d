"""Delegates see whom they review; the requester is told; the public list is bounded
(issue 14, items 6 and 7).

- Each entry of the review table opens the organization's profile as the Office saw it
  when screening (description in the reader's language, website, activities, answers to
  the Office's requests), never a person's contact details; whoever may see the list may
  open it (observer States' delegates too), nobody else.
- When the Office shares the information on an entry's objections, the delegate who
  asked is told, in the inbox and by one e-mail in their language; nobody else is.
- The public page of a list shows a hundred entries at a time, the whole list's counts
  above them; the downloads stay whole.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from compact_process.notifications import services as notifications
from compact_process.notifications.models import Notification
from stakeholders import services
from stakeholders.enums import ApplicationState, Channel, Gender
from stakeholders.models import ListEntry, Organization, Representative
from stakeholders.models_registry import OrganizationMember
from tests.people import delegate, person
from tests.test_review_pages import AFTER, DEADLINE, DURING, OPENED, build_list, signed_in, state

DESCRIPTION_EN = "We run legal clinics for migrant workers in Nairobi."
DESCRIPTION_FR = "Nous tenons des permanences juridiques pour les travailleurs migrants."
ANSWER = "Since 2015 we have assisted 4,000 migrant workers."
REP_EMAIL = "rep.private@example.org"
CONTACT_EMAIL = "contact.private@example.org"


def _in(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def _screened(process, office, *, name: str, description_fr: str | None, member=None):
    """An application screened in through the services: asked for more information,
    answered, then screened in (so the Office saw the answer)."""
    member = member or person(f"member-{name.split()[0].lower()}", "stakeholder")
    org = Organization.objects.create(
        name=name,
        kind="ngo",
        country=state("KEN"),
        website="https://clinics.example.org/",
        email=CONTACT_EMAIL,
        description_en=DESCRIPTION_EN,
        description_fr=description_fr,
    )
    OrganizationMember.objects.create(user=member, organization=org)
    application = services.submit_application(
        process=process,
        organization=org,
        channel=Channel.SPECIAL,
        activities="Legal aid at the border crossings",
        representatives=[("Rep Person", Gender.WOMAN)],
    )
    Representative.objects.filter(application=application).update(email=REP_EMAIL)
    services.screen_application(
        application=application,
        state=ApplicationState.NEEDS_INFORMATION,
        reason="How many people have you assisted?",
        actor=office,
    )
    services.answer_information_request(application=application, text=ANSWER, actor=member)
    application.refresh_from_db()
    services.screen_application(
        application=application, state=ApplicationState.SCREENED_IN, actor=office
    )
    return application, member


@pytest.fixture
def reviewed(gcm):
    """A list under review with two screened-in organizations: one describing itself in
    English and French, one in English only."""
    office = person("office", "pga_office")
    with time_machine.travel(OPENED, tick=False):
        both, member = _screened(gcm, office, name="Alpha Clinics", description_fr=DESCRIPTION_FR)
        english, _ = _screened(gcm, office, name="Beta Clinics", description_fr=None)
        lst = services.create_list(
            process=gcm, purpose="preparatory", title="Preparatory list", actor=office
        )
        for application in (both, english):
            services.add_entry(stakeholder_list=lst, application=application, actor=office)
        services.submit_list(stakeholder_list=lst, deadline=DEADLINE, actor=office)
    entries = {e.application_id: e for e in ListEntry.objects.filter(stakeholder_list=lst)}
    return {
        "list": lst,
        "office": office,
        "member": member,
        "alpha": entries[both.pk],
        "beta": entries[english.pk],
    }


def _profile_link(html: str, entry) -> str:
    """The href of the entry's name in the review table."""
    row = re.search(rf'<tr id="entry-{entry.pk}">(.*?)</tr>', html, re.S).group(1)
    name_cell = re.search(r'<th scope="row">(.*?)</th>', row, re.S).group(1)
    return re.search(r'<a href="([^"]+)"', name_cell).group(1).replace("&amp;", "&")


def _open_from_the_list(client: Client, lst, entry, language: str = "en"):
    with time_machine.travel(DURING, tick=False):
        listing = client.get(_in(language, "stakeholders-review:list", lst.pk))
        assert listing.status_code == 200
        link = _profile_link(listing.content.decode(), entry)
        return link, client.get(link)


# --- The profile from the review -------------------------------------------------------


def test_a_delegate_opens_an_entrys_profile_from_the_review_table(reviewed):
    client = signed_in(delegate("mx", "MEX"))
    link, response = _open_from_the_list(client, reviewed["list"], reviewed["alpha"])
    assert link.startswith(
        reverse("stakeholders-review:entry", args=[reviewed["list"].pk, reviewed["alpha"].pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1><bdi>Alpha Clinics" in html
    assert DESCRIPTION_EN in html
    assert 'href="https://clinics.example.org/"' in html
    assert "Legal aid at the border crossings" in html
    assert ANSWER in html
    assert "as the Office of the President of the General Assembly saw it" in html
    # Never a person's contact details, nor the organization's contact address.
    assert REP_EMAIL not in html and "Rep Person" not in html
    assert CONTACT_EMAIL not in html
    assert reviewed["member"].email not in html
    # The entry's actions are the review's own pages, and the way back keeps the list.
    entry = reviewed["alpha"]
    assert reverse("stakeholders-review:object", args=[reviewed["list"].pk, entry.pk]) in html
    assert reverse("stakeholders-review:information", args=[reviewed["list"].pk, entry.pk]) in html
    back = re.search(r'<a href="([^"]+)">Back to the list</a>', html).group(1)
    assert back.startswith(reverse("stakeholders-review:list", args=[reviewed["list"].pk]))


def test_a_french_reader_sees_the_french_description(reviewed):
    client = signed_in(delegate("fr-reader", "FRA", language="fr"))
    link, response = _open_from_the_list(client, reviewed["list"], reviewed["alpha"], "fr")
    assert link.startswith("/fr/")
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert DESCRIPTION_FR in html and DESCRIPTION_EN not in html
    assert 'class="fallback-note"' not in html


def test_a_missing_translation_shows_the_english_marked_as_such(reviewed):
    client = signed_in(delegate("fr-reader", "FRA", language="fr"))
    _, response = _open_from_the_list(client, reviewed["list"], reviewed["beta"], "fr")
    html = response.content.decode()
    assert f'<span lang="en" dir="ltr">{DESCRIPTION_EN}</span>' in html
    assert '<span class="fallback-note">(en anglais)</span>' in html


def test_the_profile_is_the_one_screened_not_a_later_edit(reviewed):
    alpha = reviewed["alpha"]
    services.update_organization(
        organization=alpha.application.organization,
        actor=reviewed["member"],
        description_en="Rewritten after the screening.",
        website="https://elsewhere.example.org/",
    )
    client = signed_in(delegate("mx", "MEX"))
    _, response = _open_from_the_list(client, reviewed["list"], alpha)
    html = response.content.decode()
    assert DESCRIPTION_EN in html and "https://clinics.example.org/" in html
    assert "Rewritten after the screening." not in html and "elsewhere" not in html


def test_an_application_screened_before_profiles_were_kept_shows_the_live_profile(gcm):
    lst, _, entries = build_list(gcm, 1)
    organization = entries[0].application.organization
    organization.description_en = "Described today."
    organization.save()
    client = signed_in(delegate("mx", "MEX"))
    _, response = _open_from_the_list(client, lst, entries[0])
    html = response.content.decode()
    assert "Described today." in html
    assert "profile as of" in html and "screened before profiles were kept" in html
    assert "2030" in html  # the date it is read on (the test's clock)


def test_an_observer_states_delegate_reads_the_profile_without_the_objection_action(reviewed):
    client = signed_in(delegate("ps", "PSE"))
    _, response = _open_from_the_list(client, reviewed["list"], reviewed["alpha"])
    assert response.status_code == 200
    html = response.content.decode()
    assert DESCRIPTION_EN in html
    lst, entry = reviewed["list"], reviewed["alpha"]
    assert reverse("stakeholders-review:object", args=[lst.pk, entry.pk]) not in html
    assert reverse("stakeholders-review:information", args=[lst.pk, entry.pk]) in html


def test_an_organization_or_a_visitor_cannot_open_a_profile(reviewed):
    url = reverse("stakeholders-review:entry", args=[reviewed["list"].pk, reviewed["alpha"].pk])
    with time_machine.travel(DURING, tick=False):
        assert signed_in(reviewed["member"]).get(url).status_code == 403
        assert signed_in(person("office-2", "pga_office")).get(url).status_code == 403
        anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))


def test_an_entry_of_another_list_is_not_found(reviewed, gcm):
    _other, _, entries = build_list(gcm, 1, title="Other list")
    url = reverse("stakeholders-review:entry", args=[reviewed["list"].pk, entries[0].pk])
    with time_machine.travel(DURING, tick=False):
        assert signed_in(delegate("mx", "MEX")).get(url).status_code == 404


# --- The requester is told --------------------------------------------------------------


def test_the_requester_is_told_once_in_their_language_and_nobody_else(reviewed):
    asker = delegate("asker", "MEX", language="fr")
    colleague = delegate("colleague", "MEX")
    other = delegate("de", "DEU")
    entry = reviewed["alpha"]
    with time_machine.travel(DURING, tick=False):
        services.lodge_objection(
            entry=entry, member_state=state("DEU"), user=other, basis="A general basis"
        )
        request = services.request_information(entry=entry, member_state=state("MEX"), user=asker)
        notifications.send_due()  # what came before (the list's submission)
        mail.outbox.clear()
        before = set(Notification.objects.values_list("pk", flat=True))
        services.share_information(request=request, actor=reviewed["office"])
        notifications.send_due()
        notifications.send_due()

    new = Notification.objects.exclude(pk__in=before)
    assert list(new.values_list("recipient__username", "kind")) == [("asker", "information.shared")]
    (message,) = mail.outbox
    assert message.to == [asker.email]
    assert message.extra_headers["Content-Language"] == "fr"
    link = _in("fr", "stakeholders-review:information", reviewed["list"].pk, entry.pk)
    assert link.startswith("/fr/") and link in message.body
    html, _mimetype = message.alternatives[0]
    assert '<html lang="fr"' in html and f'href="http://127.0.0.1:8000{link}"' in html
    assert colleague.email not in message.to and other.email not in message.to

    # In the inbox, a link to the shared answer, which shows it.
    inbox = signed_in(asker).get(_in("fr", "notifications:inbox")).content.decode()
    assert "Alpha Clinics" in inbox
    with time_machine.travel(DURING, tick=False):
        answer = signed_in(asker).get(link).content.decode()
    assert "A general basis" in answer


def test_sharing_twice_is_refused_and_tells_nobody_twice(reviewed):
    asker = delegate("asker", "MEX")
    with time_machine.travel(DURING, tick=False):
        request = services.request_information(
            entry=reviewed["beta"], member_state=state("MEX"), user=asker
        )
        services.share_information(request=request, actor=reviewed["office"])
        with pytest.raises(services.ReviewError):
            services.share_information(request=request, actor=reviewed["office"])
    assert Notification.objects.filter(recipient=asker, kind="information.shared").count() == 1


# --- The public list, a page at a time --------------------------------------------------


@pytest.fixture
def large_closed(gcm):
    lst, _, entries = build_list(gcm, 150)
    from tests.test_review_pages import object_directly

    object_directly(entries[:3], "MEX", delegate("mx", "MEX"))
    services.close_review(list_id=lst.pk, now=AFTER)
    return lst


def _rows(html: str) -> list[str]:
    return re.findall(r'<th scope="row">(?:<bdi>)?([^<]+)', html)


def test_the_public_list_shows_a_hundred_entries_a_page_and_the_whole_counts(large_closed):
    url = reverse("stakeholders-public:compare", args=[large_closed.pk])
    first = Client().get(url).content.decode()
    assert len(_rows(first)) == 100
    assert "Preparatory Organisation 000" in first
    assert "Preparatory Organisation 100" not in first
    second = Client().get(f"{url}?page=2").content.decode()
    assert _rows(second)[0] == "Preparatory Organisation 100"  # the 101st entry
    assert len(_rows(second)) == 50
    for html in (first, second):
        assert "150 entries were proposed." in html
        assert "147 are on the final list." in html
        assert "3 were not approved" in html
    nav = re.search(
        r'<nav class="pagination" aria-label="Pages of entries">.*?</nav>',
        second,
        re.S,
    )
    assert nav is not None
    assert re.search(r'<a href="\?page=2" aria-current="page"', nav.group(0))
    assert '<a href="?page=1" rel="prev">' in nav.group(0)
    assert "entries 101–150 of 150, page 2 of 2" in second


@pytest.mark.parametrize("page", ["999", "0", "-1", "abc", ""])
def test_a_page_number_out_of_range_never_fails(large_closed, page):
    url = reverse("stakeholders-public:compare", args=[large_closed.pk])
    response = Client().get(f"{url}?page={page}")
    assert response.status_code == 200
    rows = _rows(response.content.decode())
    assert rows[0] in ("Preparatory Organisation 000", "Preparatory Organisation 100")


def test_the_downloads_stay_the_whole_list(large_closed):
    response = Client().get(reverse("stakeholders-public:csv", args=[large_closed.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 151  # the header and every entry
