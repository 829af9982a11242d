"""The no-objection review from beginning to end in a real browser (Playwright driving
Debian's Chromium against live_server): the issue's "Done when" as one story.

An NGO signs up and applies within the real application window; the Office screens it
in, composes a list and submits it; delegates of three States object (one with a basis,
one allowing disclosure), withdraw, and request the information, and the requester
receives only what was allowed; the deadline passes and the Office closes the review;
the final list excludes exactly the entries with a standing objection, the NGO gets its
e-mail (once) and sees it in the application; the public page shows counts, never a
State.

The NGO and the delegates use a phone (390 × 844, a browser context each, so that no
session mixes): no page they see scrolls sideways, and several pass axe-core. The Office
works at a desk (the ``page`` fixture).

Time: the whole story happens in April 2017, inside the real application window
(time_machine, ticking; it moves the live server's clock too: same process). The review
deadline is ten minutes after the submission; the story then travels past it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from compact_process.deadlines.services import run_pending
from compact_process.notifications.services import send_due
from phases.models import MemberState
from stakeholders import services
from stakeholders.enums import ApplicationState, Channel, EntryOutcome, Gender, ListStatus
from stakeholders.models import Application, Objection, Organization, StakeholderList
from stakeholders.services import CLOSE_GRACE
from tests.people import PASSWORD, person, sign_in_in_the_browser
from tests.test_secretariat_browser import serious_accessibility_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

User = get_user_model()
UTC = datetime.UTC
# Inside the real window for special accreditation (14 March–17 April 2017, New York).
IN_THE_WINDOW = datetime.datetime(2017, 4, 3, 13, 0, tzinfo=UTC)
PHONE = {"width": 390, "height": 844}
TITLE = "Stakeholders for the preparatory process"

# The NGO that signs up in the browser, and the other screened-in organizations. No
# organization comes from an objecting or requesting State (Mexico, Germany, France), so
# that those names must not appear on a public page at all.
NGO = "Kituo cha Wahamiaji"
# In an e-mail's subject a name is isolated from the sentence by FSI … PDI (U+2068, U+2069).
NGO_IN_SUBJECT = f"\u2068{NGO}\u2069"
NGO_EMAIL = "amina@kituo.example.org"
NGO_PASSWORD = "a-long-unusual-passphrase-7"
NGO_REPRESENTATIVE = "Amina Wanjiru"
OBJECTED_BY_GERMANY = "Rede Brasileira de Migração"  # one objection: removed
WITHDRAWN = "Nihon Migrant Support Centre"  # Mexico objects, then withdraws: kept
UNOBJECTED = "Philippine Diaspora Forum"  # no objection: kept
OTHERS = [(OBJECTED_BY_GERMANY, "BRA"), (WITHDRAWN, "JPN"), (UNOBJECTED, "PHL")]
MEXICO_BASIS = "Its activities fall outside the scope of the compact."
GERMANY_BASIS = "Doubts about the organization's stated independence."
STATES = ("Mexico", "Germany", "France")


# --- People and browsers ------------------------------------------------------------------


@dataclass
class Story:
    """The people's browsers: the Office's at a desk, a phone for everyone else."""

    browser: Any
    live_server: Any
    desk: Any  # the Office's page (the ``page`` fixture: 1280 × 900)

    def url(self, path: str) -> str:
        return self.live_server.url + path

    def phone(self):
        """A new person's phone: a browser context of its own (cookies, session)."""
        context = self.browser.new_context(
            locale="en-US", viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True
        )
        context.set_default_timeout(15_000)
        return context.new_page()

    def check(self, page, *, axe: bool = False) -> None:
        """The phone's page, as loaded now, does not scroll sideways at 390 px; with
        ``axe``, axe-core finds no serious or critical violation on it."""
        page.wait_for_load_state()
        path = urlsplit(page.url).path
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (
            f"{path} is {width} px wide at 390 px, beyond the edge: {page.evaluate(TOO_WIDE)}"
        )
        if axe:
            assert serious_accessibility_violations(page) == [], path


# The outermost elements that reach beyond the right edge of a 390 px page, with no
# scrolling container to hold them (for the failure message).
TOO_WIDE = """() => {
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (e.classList.length ? '.' + [...e.classList].join('.') : '');
  // A scrolling ancestor holds an element unless the element is absolutely positioned
  // and the scroller is outside its containing block.
  const held = e => {
    let escaping = getComputedStyle(e).position === 'absolute';
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (escaping && style.position === 'static') continue;
      if (style.overflowX !== 'visible') return true;
      escaping = style.position === 'absolute';
    }
    return false;
  };
  const edge = document.documentElement.clientWidth;
  const wide = [...document.body.querySelectorAll('*')].filter(
    e => e.getBoundingClientRect().right > edge + 0.5 && !held(e));
  const outermost = wide.filter(e => !wide.includes(e.parentElement));
  const shown = outermost.slice(0, 3)
    .map(e => `${name(e)} (to ${Math.round(e.getBoundingClientRect().right)} px)`);
  return `${outermost.length} elements: ${shown.join(', ')}`;
}"""


def sign_in(story: Story, page, username: str, lands_on: str, password: str = PASSWORD) -> None:
    sign_in_in_the_browser(page, story.live_server.url, username, password)
    page.wait_for_url(re.compile(re.escape(story.live_server.url) + lands_on))


def says(page, text: str) -> None:
    """The page shows this success message (waiting for the redirect to land)."""
    expect(page.get_by_role("status")).to_contain_text(text)


def sent_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


# --- The NGO (phone) ------------------------------------------------------------------------


def ngo_signs_up_and_applies(story: Story) -> Application:
    phone = story.phone()
    phone.goto(story.url("/accounts/login/"))
    story.check(phone)
    phone.get_by_role("link", name="Create an account").click()
    phone.wait_for_url(re.compile(r"/stakeholders/signup/$"))
    story.check(phone, axe=True)
    phone.fill("#id_username", "amina")
    phone.fill("#id_email", NGO_EMAIL)
    phone.fill("#id_password1", NGO_PASSWORD)
    phone.fill("#id_password2", NGO_PASSWORD)
    phone.get_by_role("button", name="Create the account").click()
    phone.wait_for_url(re.compile(r"/stakeholders/signup/sent/$"))
    story.check(phone)

    # The link comes by e-mail (locmem: the live server runs in this process).
    (verification,) = sent_to(NGO_EMAIL)
    link = re.search(r"https?://\S+", verification.body).group(0)
    assert link.startswith(story.url("/stakeholders/verify/"))
    phone.goto(link)
    phone.wait_for_url(re.compile(r"/stakeholders/organization/new/$"))
    says(phone, "Your e-mail address is verified")
    story.check(phone)

    phone.fill("#id_name", NGO)
    phone.select_option("#id_kind", "ngo")
    phone.select_option("#id_country", label="Kenya")
    phone.fill("#id_email", "contact@kituo.example.org")
    phone.get_by_label("Description in English").fill(
        "Legal aid and shelter for migrants in Nairobi since 2004."
    )
    phone.get_by_label("Description in French").fill(
        "Aide juridique et hébergement pour les migrants à Nairobi depuis 2004."
    )
    phone.get_by_role("button", name="Save the profile").click()
    phone.wait_for_url(re.compile(r"/stakeholders/organization/\d+/status/$"))
    says(phone, "Your organization's profile is saved.")
    story.check(phone)

    phone.get_by_role("link", name="Apply for special accreditation").click()
    phone.wait_for_url(re.compile(r"/stakeholders/organization/\d+/apply/$"))
    expect(phone.locator("li.window--open")).to_contain_text("open now")
    # The only window open, for the preparatory process, is chosen already.
    expect(phone.get_by_label("The preparatory process (OP 6(b))")).to_be_checked()
    story.check(phone, axe=True)
    phone.fill("#id_application-activities", "Legal aid to migrants in Kenya and Uganda.")
    phone.fill("#id_representatives-0-name", NGO_REPRESENTATIVE)
    phone.select_option("#id_representatives-0-gender", "woman")
    phone.get_by_role("button", name="Submit the application").click()
    phone.wait_for_url(re.compile(r"/stakeholders/organization/\d+/status/$"))
    says(phone, "Your application is submitted to the Office.")
    expect(phone.locator(".application-card")).to_contain_text("The Office screens it")
    story.check(phone)
    phone.context.close()  # the NGO comes back after the review, and signs in

    application = Application.objects.get(organization__name=NGO)
    assert (application.channel, application.state) == (Channel.SPECIAL, "submitted")
    assert list(application.representatives.values_list("name", "gender")) == [
        (NGO_REPRESENTATIVE, Gender.WOMAN)
    ]
    return application


def other_screened_in_applications(process, office) -> None:
    """Three more organizations, applied and screened in through the services."""
    for name, iso3 in OTHERS:
        organization = Organization.objects.create(
            name=name,
            kind="ngo",
            country=MemberState.objects.get(iso3=iso3),
            email="contact@example.org",
        )
        application = services.submit_application(
            process=process,
            organization=organization,
            channel=Channel.SPECIAL,
            activities="Support to migrants",
            representatives=[("R. Uno", Gender.MAN), ("R. Dos", Gender.WOMAN)],
        )
        services.screen_application(
            application=application, state=ApplicationState.SCREENED_IN, actor=office
        )


# --- The Office (desk) --------------------------------------------------------------------------


def office_screens_in(story: Story) -> None:
    desk = story.desk
    desk.goto(story.url("/office/applications/"))
    desk.get_by_role("link", name=NGO).click()
    desk.wait_for_url(re.compile(r"/office/applications/\d+/$"))
    expect(desk.locator("main")).to_contain_text(NGO_REPRESENTATIVE)
    expect(desk.locator("p.description")).to_have_text(
        "Legal aid and shelter for migrants in Nairobi since 2004."
    )
    desk.get_by_label("Screen in", exact=True).check()
    desk.get_by_role("button", name="Record the decision").click()
    says(desk, f"{NGO}: Screened in.")


def office_composes_and_submits(story: Story, deadline: datetime.datetime) -> StakeholderList:
    desk = story.desk
    desk.goto(story.url("/office/lists/"))
    desk.get_by_role("link", name="Create a list").click()
    desk.select_option("#id_purpose", "preparatory")
    desk.fill("#id_title", TITLE)
    desk.get_by_role("button", name="Create the list").click()
    desk.wait_for_url(re.compile(r"/office/lists/\d+/$"))
    for name, country in [
        (NGO, "Kenya"),
        (OBJECTED_BY_GERMANY, "Brazil"),
        (WITHDRAWN, "Japan"),
        (UNOBJECTED, "Philippines"),
    ]:
        desk.select_option("#id_application", label=f"{name} ({country})")
        desk.get_by_role("button", name="Add to the list").click()
        says(desk, f"{name} is added to the list.")
    expect(desk.locator("#balance-region caption")).to_contain_text("4 entries")
    expect(desk.locator("#balance-gender caption")).to_contain_text("7 people")

    desk.get_by_role("link", name="Submit to Member States").click()
    desk.select_option("#id_zone", "UTC")
    desk.fill("#id_deadline", deadline.strftime("%Y-%m-%dT%H:%M"))  # in UTC, as chosen
    desk.get_by_role("button", name="Continue to the confirmation").click()
    confirmation = desk.locator("section.confirm")
    expect(confirmation.locator("dd").first).to_have_text("4")  # entries
    expect(confirmation.locator("time")).to_have_attribute(
        "datetime", deadline.strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    assert StakeholderList.objects.get(title=TITLE).status == ListStatus.DRAFT  # not yet
    desk.get_by_role("button", name="Submit the list").click()
    says(desk, "The list is submitted to Member States")
    submitted = StakeholderList.objects.get(title=TITLE)
    assert (submitted.status, submitted.review_deadline) == (ListStatus.UNDER_REVIEW, deadline)
    return submitted


def office_shares_the_information(story: Story) -> None:
    desk = story.desk
    desk.goto(story.url("/office/requests/"))
    desk.get_by_role("link", name="Review and share").click()
    desk.wait_for_url(re.compile(r"/office/requests/\d+/share/$"))
    shared = desk.locator("#shared-items")
    expect(shared.locator("tbody tr")).to_have_count(2)
    expect(shared).to_contain_text("Germany")
    expect(shared).not_to_contain_text("Mexico")
    desk.get_by_role("button", name="Share this information").click()
    says(desk, "The information is shared with France.")


def office_closes_the_review(story: Story, lst: StakeholderList) -> None:
    desk = story.desk
    desk.goto(story.url(f"/office/lists/{lst.pk}/"))
    desk.get_by_role("link", name="Close the review").click()
    desk.wait_for_url(re.compile(rf"/office/lists/{lst.pk}/close/$"))
    desk.get_by_role("button", name="Close the review").click()
    says(desk, "The review is closed")
    entries = desk.locator("section[aria-labelledby=entries-title] table tbody tr")
    outcomes = entries.evaluate_all(
        "rows => rows.map(r => [1, 5, 6].map(i => r.cells[i].innerText))"
    )
    assert sorted(outcomes) == sorted(
        [
            [NGO, "Not approved", "2"],
            [OBJECTED_BY_GERMANY, "Not approved", "1"],
            [WITHDRAWN, "Approved", "0"],
            [UNOBJECTED, "Approved", "0"],
        ]
    )


# --- The delegates (phones) -------------------------------------------------------------------


def delegate_opens_the_list(story: Story, username: str):
    phone = story.phone()
    sign_in(story, phone, username, r"/review/$")
    story.check(phone)
    phone.get_by_role("link", name=TITLE, exact=True).click()
    phone.wait_for_url(re.compile(r"/review/\d+/$"))
    story.check(phone)
    return phone


def row(phone, organization: str):
    return phone.locator("table.review-entries tbody tr").filter(
        has=phone.get_by_role("rowheader", name=organization)
    )


def object_to(
    story: Story,
    phone,
    state: str,
    organization: str,
    *,
    basis: str = "",
    disclose: bool = False,
    axe: bool = False,
) -> None:
    phone.get_by_role("link", name=f"Object to {organization}", exact=True).click()
    phone.wait_for_url(re.compile(r"/entries/\d+/object/"))
    story.check(phone, axe=axe)
    if basis:
        phone.fill("#id_basis", basis)
    if disclose:
        phone.check("#id_disclose_identity")
    phone.get_by_role("button", name="Lodge the objection").click()
    says(phone, f"{state} objects to {organization}.")
    story.check(phone)
    expect(row(phone, organization)).to_contain_text("Objects")


# --- The public pages (the NGO's phone) ----------------------------------------------------------


def public_pages_show_counts_only(story: Story, phone, lst: StakeholderList) -> None:
    story.check(phone, axe=True)
    expect(phone.locator("main p.lead")).to_have_text(
        "4 entries were proposed. 2 are on the final list. "
        "2 were not approved: at least one Member State objected to each."
    )
    expect(phone.locator("table.compare caption")).to_have_text(
        "The proposed and final lists side by side"
    )
    rows = phone.locator("table.compare tbody tr").evaluate_all(
        """rows => rows.map(r => [r.cells[0].innerText, r.cells[3].innerText,
                                  r.cells[4].innerText, r.classList.contains('removed')])"""
    )
    assert sorted(rows) == sorted(
        [
            [NGO, "Proposed", "Not approved: removed (2 objections)", True],
            [OBJECTED_BY_GERMANY, "Proposed", "Not approved: removed (1 objection)", True],
            [WITHDRAWN, "Proposed", "Approved: on the final list", False],
            [UNOBJECTED, "Proposed", "Approved: on the final list", False],
        ]
    )
    nothing_personal(phone.content())

    phone.goto(story.url("/lists/"))
    story.check(phone)
    figures = phone.locator(f"#list-{lst.pk} ~ div table.counts tbody tr").evaluate_all(
        "rows => rows.map(r => [r.cells[0].innerText, r.cells[1].innerText])"
    )
    assert figures == [
        ["Entries proposed", "4"],
        ["Approved", "2"],
        ["Not approved", "2"],
        ["Objections standing at the close", "3"],
        ["Objections lodged (including withdrawn)", "4"],
        ["Information requests made", "1"],
        ["Information requests answered", "1"],
    ]
    nothing_personal(phone.content())


def nothing_personal(html: str) -> None:
    for secret in (*STATES, MEXICO_BASIS, GERMANY_BASIS, NGO_REPRESENTATIVE, "Too late"):
        assert secret not in html, secret


# --- The story ----------------------------------------------------------------------------------


def test_the_review_from_sign_up_to_the_public_lists(live_server, gcm, browser, page, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    office = person("pga-office", role="pga_office")
    for username, iso3 in [("mexico", "MEX"), ("germany", "DEU"), ("france", "FRA")]:
        person(username, iso3=iso3)
    story = Story(browser=browser, live_server=live_server, desk=page)

    with time_machine.travel(IN_THE_WINDOW, tick=True):
        # 1. The NGO signs up, verifies its address, describes itself and applies.
        application = ngo_signs_up_and_applies(story)
        other_screened_in_applications(gcm, office)

        # 2. The Office screens it in; the NGO is told by e-mail.
        sign_in(story, story.desk, "pga-office", r"/office/$")
        office_screens_in(story)
        application.refresh_from_db()
        assert application.state == ApplicationState.SCREENED_IN
        send_due()
        assert [m.subject for m in sent_to(NGO_EMAIL)] == [
            "Confirm your e-mail address",
            f"{NGO_IN_SUBJECT}: your application is screened in",
        ]

        # 3. The Office composes the list and submits it, the deadline ten minutes on;
        # every delegate is told by e-mail.
        now = datetime.datetime.now(UTC)
        deadline = now.replace(second=0, microsecond=0) + datetime.timedelta(minutes=10)
        lst = office_composes_and_submits(story, deadline)
        send_due()
        for username in ("mexico", "germany", "france"):
            assert [m.subject for m in sent_to(f"{username}@example.org")] == [
                f"For your State's review: “\u2068{TITLE}\u2069”"
            ]

        # 4. Mexico objects to the NGO with a basis, its name not to be disclosed; it
        # objects to a second organization and withdraws that objection.
        mexico = delegate_opens_the_list(story, "mexico")
        story.check(mexico, axe=True)
        object_to(story, mexico, "Mexico", NGO, basis=MEXICO_BASIS)
        object_to(story, mexico, "Mexico", WITHDRAWN)
        row(mexico, WITHDRAWN).get_by_role("link", name="Withdraw the objection").click()
        mexico.wait_for_url(re.compile(r"/review/objections/\d+/withdraw/"))
        story.check(mexico)
        mexico.get_by_role("button", name="Withdraw the objection").click()
        says(mexico, f"Mexico no longer objects to {WITHDRAWN}.")
        expect(row(mexico, WITHDRAWN)).to_contain_text("No objection")
        story.check(mexico)

        # 5. Germany objects to the NGO with a basis, allowing its name to be disclosed,
        # and to a Brazilian organization without a basis.
        germany = delegate_opens_the_list(story, "germany")
        expect(row(germany, NGO)).to_contain_text("No objection")  # Mexico's is not shown
        object_to(story, germany, "Germany", NGO, basis=GERMANY_BASIS, disclose=True, axe=True)
        object_to(story, germany, "Germany", OBJECTED_BY_GERMANY)

        # 6. France requests the information on the NGO; the Office shares it; France
        # reads both bases, and the name of Germany only.
        france = delegate_opens_the_list(story, "france")
        expect(row(france, NGO)).to_contain_text("No objection")
        france.get_by_role("link", name=f"Request information on {NGO}", exact=True).click()
        france.wait_for_url(re.compile(r"/entries/\d+/information/"))
        story.check(france)
        france.get_by_role("button", name="Request the information").click()
        says(france, "The request is recorded.")
        expect(france.locator("ol.info-requests")).to_contain_text("not answered yet")
        story.check(france)
        office_shares_the_information(story)
        france.reload()
        story.check(france, axe=True)
        shared = france.locator("ol.info-requests tbody tr").evaluate_all(
            "rows => rows.map(r => [r.cells[0].innerText, r.cells[1].innerText])"
        )
        assert sorted(shared) == sorted(
            [["Not disclosed", MEXICO_BASIS], ["Germany", GERMANY_BASIS]]
        )
        assert "Mexico" not in france.content()
        # France, the requester, and nobody else, is told that the information is shared.
        assert send_due() == {"sent": 1}
        (shared_mail,) = sent_to("france@example.org")[1:]
        assert (
            shared_mail.subject
            == f"The information you requested on the objections to {NGO_IN_SUBJECT} is shared"
        )
        assert [len(sent_to(f"{u}@example.org")) for u in ("mexico", "germany")] == [1, 1]

        # 7. The deadline passes: an objection now is refused; the Office closes the review.
        after = deadline + CLOSE_GRACE + datetime.timedelta(seconds=5)
        with time_machine.travel(after, tick=True):
            germany.goto(story.url(f"/review/{lst.pk}/"))
            story.check(germany)
            germany.get_by_role("link", name=f"Object to {UNOBJECTED}", exact=True).click()
            germany.fill("#id_basis", "Too late")
            germany.get_by_role("button", name="Lodge the objection").click()
            expect(germany.get_by_role("alert")).to_contain_text("The review closed at")
            story.check(germany)
            assert Objection.objects.filter(entry__stakeholder_list=lst).count() == 4

            office_closes_the_review(story, lst)
            lst.refresh_from_db()
            assert lst.status == ListStatus.CLOSED
            outcomes = {
                e.application.organization.name: (e.outcome, e.standing_objections)
                for e in lst.entries.select_related("application__organization")
            }
            assert outcomes == {
                NGO: (EntryOutcome.NOT_APPROVED, 2),
                OBJECTED_BY_GERMANY: (EntryOutcome.NOT_APPROVED, 1),
                WITHDRAWN: (EntryOutcome.APPROVED, 0),
                UNOBJECTED: (EntryOutcome.APPROVED, 0),
            }

            # 8. The close's derived work, which the worker runs after the close commits
            # (here through beat's repair sweep, the same function): the outcomes told.
            assert run_pending() == 1
            # The NGO's outcome e-mail: sent exactly once, naming no State.
            assert send_due() == {"sent": 1}
            assert send_due() == {}
            (outcome_mail,) = sent_to(NGO_EMAIL)[2:]
            assert outcome_mail.subject == f"{NGO_IN_SUBJECT} is not approved"
            assert f"/lists/{lst.pk}/" in outcome_mail.body
            assert "a Member State objected" in outcome_mail.body
            assert not any(state in outcome_mail.body for state in STATES)

            # 9. The NGO comes back, signs in, and finds it among its notifications.
            ngo = story.phone()
            sign_in(story, ngo, "amina", r"/stakeholders/organization/\d+/status/$", NGO_PASSWORD)
            expect(ngo.locator(".application-card")).to_contain_text(
                f"Not approved on the list “{TITLE}”: a Member State objected."
            )
            story.check(ngo, axe=True)
            ngo.get_by_role("link", name="Notifications").click()
            ngo.wait_for_url(re.compile(r"/notifications/$"))
            story.check(ngo, axe=True)
            notices = ngo.locator("ol.notifications > li")
            expect(notices).to_have_count(2)
            expect(notices.first).to_contain_text(f"{NGO_IN_SUBJECT} is not approved")
            expect(notices.nth(1)).to_contain_text(
                f"{NGO_IN_SUBJECT}: your application is screened in"
            )
            opens = re.compile(rf"^Open\W+{re.escape(NGO_IN_SUBJECT)} is not approved$")
            ngo.get_by_role("button", name=opens).click()
            ngo.wait_for_url(re.compile(rf"/lists/{lst.pk}/$"))

            # 10. The public pages: proposed and final side by side, counts, no State.
            public_pages_show_counts_only(story, ngo, lst)
