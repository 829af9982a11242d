"""Names that read the same to everyone (issue 15, item 6): an invisible or
direction-changing character is refused where a name is written, with a message naming
it; every user-written name is shown isolated (``<bdi>`` in HTML, FSI … PDI in plain
text), so that on an Arabic page a Latin name ending in a period keeps it at its end."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pypdf
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from compact_process.notifications import services as notifications
from phases.models import MemberState
from stakeholders import pdfs, services
from stakeholders.enums import ApplicationState, Channel, Gender
from stakeholders.models import Organization
from stakeholders.models_registry import OrganizationMember
from tests.people import delegate, person

User = get_user_model()

UTC = datetime.UTC
OPENED = datetime.datetime(2030, 4, 1, 12, 0, tzinfo=UTC)
DEADLINE = datetime.datetime(2030, 4, 20, 23, 59, 59, tzinfo=UTC)
AFTER = DEADLINE + datetime.timedelta(hours=1)
NAME = "Voces Migrantes A.C."  # Latin, ending in punctuation: the case of the issue
FSI, PDI = "\u2068", "\u2069"

# The bidi controls, the zero-width and invisible characters of the issue.
REFUSED = [
    *(chr(c) for c in range(0x202A, 0x202F)),  # LRE, RLE, PDF, LRO, RLO
    *(chr(c) for c in range(0x2066, 0x206A)),  # LRI, RLI, FSI, PDI
    "\u200e",  # LEFT-TO-RIGHT MARK
    "\u200f",  # RIGHT-TO-LEFT MARK
    "\u061c",  # ARABIC LETTER MARK
    "\u200b",  # ZERO WIDTH SPACE
    "\u200c",  # ZERO WIDTH NON-JOINER, in a Latin name
    "\u200d",  # ZERO WIDTH JOINER, in a Latin name
    "\u2060",  # WORD JOINER
    "\ufeff",  # ZERO WIDTH NO-BREAK SPACE
    "\u00ad",  # SOFT HYPHEN (another Cf character)
]


def _code(char: str) -> str:
    return f"U+{ord(char):04X}"


def _message(char: str) -> str:
    return (
        f"The name contains an invisible or direction-changing character ({_code(char)}); "
        "please remove it."
    )


# --- Refused where a name is written ------------------------------------------------------


def _organization_data(name: str) -> dict:
    return {
        "name": name,
        "name_latin": "",
        "kind": "ngo",
        "country": MemberState.objects.get(iso3="MEX").pk,
        "website": "",
        "email": "contacto@example.org",
        "description_en": "",
    }


@pytest.mark.parametrize("char", REFUSED, ids=_code)
def test_an_invisible_or_direction_character_is_refused_in_an_organization_name(gcm, char):
    client = Client()
    client.force_login(person("rep", "stakeholder"))
    response = client.post(
        reverse("stakeholders-registration:organization-create"),
        _organization_data(f"Voces{char} Migrantes A.C."),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert _message(char) in html
    assert not Organization.objects.exists()


@pytest.mark.parametrize("char", REFUSED, ids=_code)
def test_an_invisible_or_direction_character_is_refused_at_sign_up(gcm, char):
    response = Client().post(
        reverse("stakeholders-registration:signup"),
        {
            "username": f"voces{char}migrantes",
            "email": "voces@example.org",
            "password1": "a-long-unusual-passphrase-7",
            "password2": "a-long-unusual-passphrase-7",
        },
    )
    assert response.status_code == 422
    assert _message(char) in response.content.decode()


def test_the_message_is_in_the_readers_language(gcm):
    client = Client()
    client.force_login(person("rep", "stakeholder", language="es"))
    with translation.override("es"):
        url = reverse("stakeholders-registration:organization-create")
    response = client.post(url, _organization_data("Voces\u202e Migrantes"))
    assert response.status_code == 422
    # Until the coordinator translates it the message reads in English; it is marked for
    # translation and names the character in any language.
    assert "U+202E" in response.content.decode()


def test_a_persian_name_keeps_its_non_joiner_and_a_hindi_name_its_joiner(gcm):
    client = Client()
    client.force_login(person("rep", "stakeholder"))
    persian = (
        "\u0627\u0646\u062c\u0645\u0646 \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u06cc\u0645"
    )
    data = _organization_data(persian) | {"name_latin": "Anjoman Mikhahim"}
    response = client.post(reverse("stakeholders-registration:organization-create"), data)
    assert response.status_code == 302
    assert Organization.objects.get().name == persian
    hindi = "\u0915\u094d\u200d\u0937"  # KA, VIRAMA, ZWJ, SSA
    client.force_login(person("rep2", "stakeholder"))
    data = _organization_data(hindi) | {"name_latin": "Ksha"}
    response = client.post(reverse("stakeholders-registration:organization-create"), data)
    assert response.status_code == 302


def test_a_representatives_name_and_a_person_name_are_refused_too(gcm):
    client = Client()
    user = person("rep", "stakeholder")
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {"first_name": "Ana\u200b", "last_name": "Ruiz", "preferred_language": "en"},
    )
    assert _message("\u200b") in response.content.decode()
    user.refresh_from_db()
    assert user.first_name == ""
    # A list title written by the Office, and a representative named in an application,
    # go through the models' own validation in the services.
    from django.core.exceptions import ValidationError

    office = person("office", "pga_office")
    with pytest.raises(ValidationError):
        services.create_list(process=gcm, purpose="preparatory", title="List\u202e 1", actor=office)
    org = Organization.objects.create(
        name=NAME, kind="ngo", country=MemberState.objects.get(iso3="MEX"), email="o@example.org"
    )
    with pytest.raises(ValidationError):
        services.submit_application(
            process=gcm,
            organization=org,
            channel=Channel.SPECIAL,
            activities="Support to migrants",
            representatives=[("Ana\u2066 Ruiz", Gender.WOMAN)],
        )


# --- Shown isolated ---------------------------------------------------------------------


@pytest.fixture
def reviewed(gcm):
    """A list under review holding NAME (and a legacy name stored before the rule, with a
    RIGHT-TO-LEFT OVERRIDE in it); the organization's member is told of its screening."""
    office = person("office", "pga_office")
    member = person("voces", "stakeholder", language="ar")
    delegate("eg", "EGY", language="ar")  # told of the submission, in Arabic
    mexico = MemberState.objects.get(iso3="MEX")
    with time_machine.travel(OPENED, tick=False):
        lst = services.create_list(
            process=gcm, purpose="preparatory", title="Lista preparatoria.", actor=office
        )
        applications = []
        for name in (NAME, "Legacy \u202eOrganization"):
            # objects.create, not the service: the legacy name predates the validator.
            org = Organization.objects.create(
                name=name, kind="ngo", country=mexico, email="o@example.org"
            )
            if name == NAME:
                OrganizationMember.objects.create(user=member, organization=org)
            application = services.submit_application(
                process=gcm,
                organization=org,
                channel=Channel.SPECIAL,
                activities="Support to migrants",
                representatives=[("Ana Ruiz", Gender.WOMAN)],
            )
            services.screen_application(
                application=application, state=ApplicationState.SCREENED_IN, actor=office
            )
            services.add_entry(stakeholder_list=lst, application=application, actor=office)
            applications.append(application)
        services.submit_list(stakeholder_list=lst, deadline=DEADLINE, actor=office)
    lst.refresh_from_db()
    return lst, member


def test_the_arabic_review_page_shows_the_latin_name_isolated(reviewed):
    lst, _member = reviewed
    client = Client()
    client.force_login(User.objects.get(username="eg"))
    with translation.override("ar"):
        url = reverse("stakeholders-review:list", args=[lst.pk])
    assert url.startswith("/ar/")
    with time_machine.travel(OPENED + datetime.timedelta(days=1), tick=False):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert f"<bdi>{NAME}</bdi>" in html  # the period is inside the isolate, at its end
    assert "<h1><bdi>Lista preparatoria.</bdi></h1>" in html
    # The legacy name is shown, isolated: its override cannot reach the page around it.
    assert "<bdi>Legacy \u202eOrganization</bdi>" in html


def test_the_public_list_shows_names_isolated(reviewed):
    lst, _member = reviewed
    with translation.override("ar"):
        url = reverse("stakeholders-public:compare", args=[lst.pk])
    html = Client().get(url).content.decode()
    assert f"<bdi>{NAME}</bdi>" in html
    index = Client().get(reverse("stakeholders-public:index")).content.decode()
    assert "<bdi>Lista preparatoria.</bdi>" in index


def test_the_e_mail_isolates_the_name_in_html_and_in_text(reviewed):
    _lst, member = reviewed
    mail.outbox.clear()
    notifications.send_due(now=OPENED + datetime.timedelta(minutes=1))
    # The organization's screening: its name in the subject (plain text: FSI … PDI).
    (screened,) = [m for m in mail.outbox if member.email in m.to]
    assert screened.subject.startswith(f"{FSI}{NAME}{PDI}")
    # The Arabic delegate told of the list: its title (ending in a period) in the text part
    # isolated by characters, in the HTML part by <bdi>.
    (submitted,) = [m for m in mail.outbox if User.objects.get(username="eg").email in m.to]
    assert f"{FSI}Lista preparatoria.{PDI}" in submitted.subject
    assert f"{FSI}Lista preparatoria.{PDI}" in submitted.body
    html, _mimetype = submitted.alternatives[0]
    assert '<html lang="ar" dir="rtl">' in html
    assert "<bdi>Lista preparatoria.</bdi>" in html


def test_the_csv_holds_the_name_as_written(reviewed):
    """A spreadsheet lays out each cell as its own paragraph: the name is isolated from
    its neighbours by the cell. FSI/PDI would be stored in the cell, invisible, and break
    sorting, matching and a re-import; so the CSV holds the name exactly as written."""
    lst, _member = reviewed
    assert services.close_review(list_id=lst.pk, now=AFTER)
    response = Client().get(reverse("stakeholders-public:csv", args=[lst.pk]))
    text = response.content.decode().removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert [NAME, "Mexico", "ngo", "approved", "0"] in rows
    assert FSI not in text and PDI not in text


def test_the_pdf_isolates_the_name(reviewed):
    lst, _member = reviewed
    source = pdfs.ProposedListPdf(str(lst.pk), "ar")
    html = source.render_html()
    # Characters as well as the element: WeasyPrint ignores unicode-bidi (so <bdi> alone
    # left ".Voces Migrantes A.C" in an Arabic PDF); Pango honours FSI … PDI.
    assert f"<bdi>{FSI}{NAME}{PDI}</bdi>" in html
    from compact_process.pdf.render import html_to_pdf

    reader = pypdf.PdfReader(io.BytesIO(html_to_pdf(html)))
    text = "".join(page.extract_text() for page in reader.pages)
    text = re.sub(r"[\s\u2068\u2069]+", "", text)
    assert NAME.replace(" ", "") in text  # the period at the end of the Latin name
    assert ".VocesMigrantes" not in text
