"""Registration (issue 4): sign-up with a verified e-mail address, the organization's
profile, special accreditation within the window, answering a request for information,
the ECOSOC/NHRI list imports (all or nothing) and matching, and who sees what."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compact_process.audit.models import AuditEvent
from phases.models import MemberState
from stakeholders import services
from stakeholders.enums import ApplicationState, Channel
from stakeholders.models import Application, Organization
from stakeholders.models_registry import (
    AccreditedBody,
    DirectRegistration,
    OrganizationMember,
    RegistrationState,
)
from tests.people import person

User = get_user_model()
NS = "stakeholders-registration"
INSIDE = datetime.datetime(2017, 4, 1, 12, 0, tzinfo=datetime.UTC)
OUTSIDE = datetime.datetime(2017, 5, 1, 12, 0, tzinfo=datetime.UTC)


def member_of(username: str, name: str = "Migrant Aid", iso3: str = "KEN"):
    user = person(username, "stakeholder")
    org = services.create_organization(
        actor=user,
        name=name,
        kind="ngo",
        country=MemberState.objects.get(iso3=iso3),
        email="contact@example.org",
    )
    return user, org


def test_sign_up_sends_a_link_and_the_link_activates(client, gcm, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(
        reverse(f"{NS}:signup"),
        {
            "username": "amina",
            "email": "amina@example.org",
            "password1": "a-long-unusual-passphrase-7",
            "password2": "a-long-unusual-passphrase-7",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="amina")
    assert not user.is_active
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["amina@example.org"]
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    response = client.get(path)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active and user.groups.filter(name="stakeholder").exists()
    assert AuditEvent.objects.filter(action="account.verified").exists()
    # Used once: signing in changed last_login, so the link no longer works.
    client.logout()
    assert client.get(path).status_code == 400


def test_failed_sign_up_keeps_what_was_typed(client, gcm, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(
        reverse(f"{NS}:signup"),
        {"username": "amina", "email": "amina@example.org", "password1": "123", "password2": "123"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'role="alert"' in html and 'value="amina@example.org"' in html
    assert 'value="amina"' in html
    assert not User.objects.filter(username="amina").exists()
    assert mail.outbox == []


def test_profile_create_and_edit(client, gcm):
    user = person("rep", "stakeholder")
    client.force_login(user)
    kenya = MemberState.objects.get(iso3="KEN")
    data = {
        "name": "Жизнь",
        "name_latin": "",
        "kind": "ngo",
        "country": kenya.pk,
        "website": "",
        "email": "c@example.org",
        "description_en": "",
    }
    response = client.post(reverse(f"{NS}:organization-create"), data)
    assert response.status_code == 422  # not in Latin letters: a transliteration is needed
    assert "Жизнь" in response.content.decode()
    data["name_latin"] = "Zhizn"
    response = client.post(reverse(f"{NS}:organization-create"), data)
    org = Organization.objects.get(name="Жизнь")
    assert response.status_code == 302
    assert OrganizationMember.objects.get(user=user).organization == org
    data["description_en"] = "Since 1990"
    response = client.post(reverse(f"{NS}:organization-edit", args=[org.pk]), data)
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.description_en == "Since 1990"
    page = client.get(reverse(f"{NS}:status", args=[org.pk])).content.decode()
    assert "African States" in page


def test_an_organization_describes_itself_in_the_languages_it_writes(client, gcm):
    user, org = member_of("rep")
    client.force_login(user)
    url = reverse(f"{NS}:organization-edit", args=[org.pk])
    form = client.get(url).content.decode()
    arabic = re.search(r'<textarea[^>]*id="id_description_ar"[^>]*>', form).group(0)
    assert 'lang="ar"' in arabic and 'dir="rtl"' in arabic
    # Each box is labelled with its language, as a screen reader announces it.
    assert re.search(r'<label for="id_description_ar">\s*Description in Arabic', form)
    data = {
        "name": org.name,
        "name_latin": "",
        "kind": "ngo",
        "country": org.country.pk,
        "website": "",
        "email": org.email,
        "description_fr": "Aide juridique aux migrants depuis 1990.",
        "description_es": "Asistencia jurídica a migrantes desde 1990.",
    }
    assert client.post(url, data).status_code == 302
    org.refresh_from_db()
    assert org.description_fr == "Aide juridique aux migrants depuis 1990."
    assert org.description_es == "Asistencia jurídica a migrantes desde 1990."
    assert not org.description_en and org.description_ar is None
    # Back on the form: the missing languages named, English among them.
    note = re.search(
        r'<p class="help languages-missing">(.*?)</p>', client.get(url).content.decode(), re.S
    ).group(1)
    assert "English" in note and "Arabic" in note
    assert "French" not in note and "Spanish" not in note


def test_the_office_reads_a_description_in_its_language_or_another_marked(client, gcm):
    from django.utils import translation

    _user, org = member_of("rep")
    Organization.objects.filter(pk=org.pk).update(
        description_en=None,
        description_fr="Aide juridique aux migrants\ndepuis 1990.",
        description_ar="مساعدة قانونية للمهاجرين",
    )
    application = services.submit_application(
        process=gcm, organization=org, channel=Channel.SPECIAL, activities="Legal aid"
    )
    client.force_login(person("office", "pga_office"))

    def description(language: str) -> str:
        with translation.override(language):
            url = reverse("stakeholders-office:application", args=[application.pk])
        page = client.get(url).content.decode()
        return re.search(r'<p class="description">(.*?)</p>', page, re.S).group(1)

    # In French: the French, as is, its line break kept.
    assert description("fr") == "Aide juridique aux migrants<br>depuis 1990."
    assert description("ar") == "مساعدة قانونية للمهاجرين"
    # No English and no Chinese: the first language that has one, marked with its
    # language for the eye and for a screen reader.
    english = description("en")
    assert english.startswith('<span lang="ar" dir="rtl">مساعدة قانونية للمهاجرين</span>')
    assert '<span class="fallback-note">(in Arabic)</span>' in english
    assert '<span lang="ar" dir="rtl">' in description("zh-hans")


def _apply_data(**extra):
    data = {
        "application-purpose": "preparatory",
        "application-activities": "Legal aid to migrants",
        "representatives-TOTAL_FORMS": "2",
        "representatives-INITIAL_FORMS": "0",
        "representatives-MIN_NUM_FORMS": "1",
        "representatives-MAX_NUM_FORMS": "20",
        "representatives-0-name": "Grace W.",
        "representatives-0-gender": "woman",
        "representatives-1-name": "",
        "representatives-1-gender": "",
    }
    data.update(extra)
    return data


def test_applying_inside_and_outside_the_window(client, gcm):
    services.ensure_default_window(gcm)
    user, org = member_of("rep")
    client.force_login(user)
    url = reverse(f"{NS}:apply", args=[org.pk])
    with time_machine.travel(OUTSIDE, tick=False):
        page = client.get(url)
        assert page.status_code == 200
        assert "This was refused" not in page.content.decode()  # only a POST is refused
        assert "applications closed on" in page.content.decode()
        response = client.post(url, _apply_data())
        assert response.status_code == 422
        assert "only within the application window" in response.content.decode()
        assert "Legal aid to migrants" in response.content.decode()
    assert not Application.objects.exists()
    with time_machine.travel(INSIDE, tick=False):
        response = client.post(url, _apply_data(**{"representatives-0-name": ""}))
        assert response.status_code == 422  # at least one representative
        response = client.post(url, _apply_data())
    assert response.status_code == 302
    application = Application.objects.get(organization=org)
    assert application.channel == Channel.SPECIAL
    assert list(application.representatives.values_list("gender", flat=True)) == ["woman"]


def test_answering_a_request_for_information_resubmits(client, gcm):
    services.ensure_default_window(gcm)
    user, org = member_of("rep")
    office = person("office", "pga_office")
    with time_machine.travel(INSIDE, tick=False):
        application = services.apply_for_accreditation(
            process=gcm,
            organization=org,
            activities="x",
            representatives=[("A", "woman")],
            actor=user,
        )
    services.screen_application(
        application=application,
        state=ApplicationState.NEEDS_INFORMATION,
        reason="Which countries do you work in?",
        actor=office,
    )
    client.force_login(user)
    status = client.get(reverse(f"{NS}:status", args=[org.pk])).content.decode()
    assert "Which countries do you work in?" in status and "Needs information" in status
    url = reverse(f"{NS}:answer", args=[org.pk, application.pk])
    assert client.post(url, {"text": ""}).status_code == 422
    assert client.post(url, {"text": "Kenya and Uganda"}).status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert application.answers.get().text == "Kenya and Uganda"
    assert AuditEvent.objects.filter(action="application.resubmitted").exists()
    # Once answered, it cannot be answered again until the Office asks.
    assert client.post(url, {"text": "More"}).status_code == 422


def _upload(client, source: str, text: str):
    return client.post(
        reverse(f"{NS}:accredited-import"),
        {"source": source, "file": SimpleUploadedFile("list.csv", text.encode(), "text/csv")},
    )


GOOD = (
    "name,country_iso3,status\nMigrant Aid,KEN,special\nHelp Net,FRA,general\nOld One,BRA,roster\n"
)


def test_import_is_all_or_nothing_with_line_numbers(client, gcm):
    client.force_login(person("sec", "secretariat"))
    bad = "name,country_iso3,status\nMigrant Aid,KEN,special\n,XXX,special\nHelp,FRA,nonsense\n"
    response = _upload(client, "ecosoc", bad)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Line 3" in html and "Line 4" in html and "Line 2" not in html
    assert not AccreditedBody.objects.exists()


def test_reimport_shows_what_changed(client, gcm):
    client.force_login(person("sec", "secretariat"))
    assert _upload(client, "ecosoc", GOOD).status_code == 302
    assert AccreditedBody.objects.count() == 3
    again = (
        "name,country_iso3,status\n"
        "Migrant Aid,KEN,general\nHelp Net,FRA,general\nNew Body,CHL,special\n"
    )
    response = _upload(client, "ecosoc", again)
    page = client.get(response["Location"]).content.decode()
    assert "1 added, 1 removed, 1 changed, 1 unchanged." in page
    assert "New Body" in page and "Old One" in page
    assert AccreditedBody.objects.get(name="Migrant Aid").status == "general"
    assert not AccreditedBody.objects.filter(name="Old One").exists()


def test_exact_match_confirms_near_match_waits_for_the_secretariat(client, gcm):
    secretariat = person("sec", "secretariat")
    services.import_accredited_bodies(source="ecosoc", data=GOOD.encode(), actor=secretariat)
    user, org = member_of("rep", name="MIGRANT  aid")
    client.force_login(user)
    response = client.post(reverse(f"{NS}:register-direct", args=[org.pk]), {"channel": "ecosoc"})
    assert response.status_code == 302
    application = Application.objects.get(organization=org)
    assert application.channel == Channel.ECOSOC
    assert application.state == ApplicationState.SCREENED_IN

    near_user, near = member_of("rep2", name="Help Nets", iso3="FRA")
    client.force_login(near_user)
    client.post(reverse(f"{NS}:register-direct", args=[near.pk]), {"channel": "ecosoc"})
    registration = DirectRegistration.objects.get(organization=near)
    assert registration.state == RegistrationState.PENDING
    assert not Application.objects.filter(organization=near).exists()
    client.force_login(secretariat)
    assert "Help Nets" in client.get(reverse(f"{NS}:matches")).content.decode()
    url = reverse(f"{NS}:match-decide", args=[registration.pk])
    assert client.post(url, {"decision": "confirm"}).status_code == 302
    assert Application.objects.get(organization=near).state == ApplicationState.SCREENED_IN

    none_user, none = member_of("rep3", name="Unknown Group", iso3="FRA")
    client.force_login(none_user)
    response = client.post(reverse(f"{NS}:register-direct", args=[none.pk]), {"channel": "ecosoc"})
    assert response.status_code == 422
    assert "special accreditation" in response.content.decode()


def test_only_members_see_their_status_page(client, gcm):
    user, org = member_of("rep")
    other, _other_org = member_of("rep2", name="Other")
    client.force_login(other)
    for name in ("status", "organization-edit", "apply", "register-direct"):
        assert client.get(reverse(f"{NS}:{name}", args=[org.pk])).status_code == 404
    client.force_login(person("delegate1", "delegate"))
    assert client.get(reverse(f"{NS}:status", args=[org.pk])).status_code == 403
    client.force_login(user)
    assert client.get(reverse(f"{NS}:accredited-import")).status_code == 403
    assert client.get(reverse(f"{NS}:matches")).status_code == 403


@pytest.mark.parametrize("n", [1, 6])
def test_status_page_queries_do_not_grow(client, gcm, django_assert_num_queries, n):
    user, org = member_of("rep")
    office = person("office", "pga_office")
    lst = services.create_list(process=gcm, purpose="preparatory", title="L", actor=office)
    for i in range(n):
        application = services.submit_application(
            process=gcm,
            organization=org
            if i == 0
            else Organization.objects.create(
                name=f"O{i}", kind="ngo", country=org.country, email="o@example.org"
            ),
            channel=Channel.SPECIAL,
            activities="x",
            representatives=[("A", "man")],
        )
        services.screen_application(application=application, state="screened_in", actor=office)
        services.add_entry(stakeholder_list=lst, application=application, actor=office)
    for i in range(n):
        DirectRegistration.objects.create(
            process=gcm,
            organization=org,
            channel="ecosoc",
            matched_name=f"M{i}",
            ratio=0.9,
            requested_by=user,
        )
    client.force_login(user)
    # The header's unread-notification count included, and the process's application
    # windows (with the process they belong to) for what the organization may apply for.
    with django_assert_num_queries(12):
        assert client.get(reverse(f"{NS}:status", args=[org.pk])).status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_matches_page_queries_do_not_grow(client, gcm, django_assert_num_queries, n):
    secretariat = person("sec", "secretariat")
    user, org = member_of("rep")
    for i in range(n):
        DirectRegistration.objects.create(
            process=gcm,
            organization=org,
            channel="ecosoc",
            matched_name=f"M{i}",
            ratio=0.9,
            requested_by=user,
        )
    client.force_login(secretariat)
    # The header's unread-notification count and the session's second factor included.
    with django_assert_num_queries(7):
        assert client.get(reverse(f"{NS}:matches")).status_code == 200


def test_verification_link_expires(client, gcm, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    start = datetime.datetime(2030, 1, 1, 12, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        client.post(
            reverse(f"{NS}:signup"),
            {
                "username": "late",
                "email": "late@example.org",
                "password1": "a-long-unusual-passphrase-7",
                "password2": "a-long-unusual-passphrase-7",
            },
        )
    path = re.search(r"https?://testserver(\S+)", mail.outbox[0].body).group(1)
    later = start + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(later, tick=False):
        assert client.get(path).status_code == 400
    assert not User.objects.get(username="late").is_active


def test_nhri_registers_directly_only_with_status_a(client, gcm):
    secretariat = person("sec", "secretariat")
    csv_text = "name,country_iso3,status\nCommission A,KEN,A\nCommission B,FRA,B\n"
    parsed, _changes, event = services.import_accredited_bodies(
        source="nhri", data=csv_text.encode(), actor=secretariat
    )
    assert event is not None and len(parsed.rows) == 2
    user, org = member_of("rep", name="Commission B", iso3="FRA")
    client.force_login(user)
    response = client.post(reverse(f"{NS}:register-direct", args=[org.pk]), {"channel": "nhri"})
    assert response.status_code == 422
    assert not Application.objects.filter(organization=org).exists()
    user2, org2 = member_of("rep2", name="Commission A", iso3="KEN")
    client.force_login(user2)
    client.post(reverse(f"{NS}:register-direct", args=[org2.pk]), {"channel": "nhri"})
    assert Application.objects.get(organization=org2).channel == Channel.NHRI


def test_refusals_and_errors_are_valid_html(client, gcm, tmp_path):
    """The pages as shown after a refused or invalid submission (the registry checks
    only the GET pages)."""
    import json
    import shutil
    import subprocess

    from tests.conftest import need
    from tests.test_accessibility import _vnu_jar

    java, jar = shutil.which("java"), _vnu_jar()
    need(java is not None and jar is not None, "Java or vnu.jar is missing")
    services.ensure_default_window(gcm)
    user, org = member_of("rep")
    pages = {}
    pages["signup"] = client.post(
        reverse(f"{NS}:signup"), {"username": "", "email": "x", "password1": "1", "password2": "2"}
    )
    client.force_login(user)
    with time_machine.travel(INSIDE, tick=False):
        pages["apply"] = client.post(
            reverse(f"{NS}:apply", args=[org.pk]), _apply_data(**{"representatives-0-name": ""})
        )
    pages["register"] = client.post(
        reverse(f"{NS}:register-direct", args=[org.pk]), {"channel": "ecosoc"}
    )
    client.force_login(person("sec", "secretariat"))
    pages["import"] = _upload(client, "ecosoc", "name,country_iso3,status\n,XXX,bad\n")
    files = []
    for name, response in pages.items():
        assert response.status_code == 422, name
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(str(file))
    run = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = run.stderr.strip() or run.stdout.strip()
    errors = [m for m in (json.loads(report)["messages"] if report else []) if m["type"] == "error"]
    assert not errors, errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_description_written_before_the_six_columns_becomes_the_english_one():
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = ("stakeholders", "0003_participation")
    try:
        call_command("migrate", *before, verbosity=0)
        old = MigrationExecutor(connection).loader.project_state(before).apps
        OldOrganization = old.get_model("stakeholders", "Organization")
        OldOrganization.objects.create(
            name="Migrant Aid",
            kind="ngo",
            country_id=MemberState.objects.get(iso3="KEN").pk,
            email="contact@example.org",
            description="Legal aid since 1990.",
        )
    finally:
        call_command("migrate", verbosity=0)
    organization = Organization.objects.get(name="Migrant Aid")
    assert organization.description_en == "Legal aid since 1990."
    assert organization.description_fr is None
