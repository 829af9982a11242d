"""Getting back in (issue 15): the confirmation link sent again, a forgotten password
reset from the sign-in page with Django's single-use tokens, an unverified sign-in told
so; and signing in lands in the person's preferred language, which a signed-in reader
can set from the language links."""

from __future__ import annotations

import datetime
import html
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation

from compact_process.audit.models import AuditEvent
from tests.people import PASSWORD, delegate, person

User = get_user_model()
NS = "stakeholders-registration"
NEW_PASSWORD = "another-long-passphrase-42"
ARABIC = re.compile(r"[\u0600-\u06ff]")


def in_language(name: str, language: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def link_in(message) -> str:
    """The path of the one link in an e-mail."""
    return urlsplit(re.search(r"https?://\S+", message.body).group(0)).path


def sign_up(client, username: str = "amina", email: str = "amina@example.org"):
    return client.post(
        reverse(f"{NS}:signup"),
        {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def sign_in(client, username: str, password: str = PASSWORD, *, path: str = "", **extra):
    return client.post(
        path or reverse("accounts:login"), {"username": username, "password": password, **extra}
    )


# --- The confirmation link again -----------------------------------------------------------


def test_lost_confirmation_mail_is_sent_again_and_its_link_opens_the_account(
    client, gcm, mailoutbox
):
    assert sign_up(client).status_code == 302
    mailoutbox.clear()  # the first mail is lost

    refused = sign_in(client, "amina")
    page = refused.content.decode()
    assert "Your e-mail address is not verified yet." in page
    resend = re.search(r'href="([^"]*/signup/resend/[^"]*)"', page).group(1)
    form = client.get(html.unescape(resend))
    assert form.status_code == 200 and 'value="amina"' in form.content.decode()

    response = client.post(reverse(f"{NS}:resend"), {"identifier": "amina"})
    assert response["Location"] == reverse(f"{NS}:resend-sent")
    assert client.get(response["Location"]).status_code == 200
    assert [m.to for m in mailoutbox] == [["amina@example.org"]]
    assert AuditEvent.objects.filter(action="account.verification_resent").count() == 1

    assert client.get(link_in(mailoutbox[0])).status_code == 302
    client.logout()
    landed = sign_in(client, "amina")
    assert landed.status_code == 302
    assert User.objects.get(username="amina").is_active


def test_the_link_is_sent_again_at_most_once_a_minute(client, gcm, mailoutbox):
    sign_up(client)
    mailoutbox.clear()
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC), tick=False) as clock:
        for _ in range(3):
            client.post(reverse(f"{NS}:resend"), {"identifier": "AMINA@example.org"})
        assert len(mailoutbox) == 1
        clock.shift(datetime.timedelta(seconds=61))
        client.post(reverse(f"{NS}:resend"), {"identifier": "amina"})
    assert len(mailoutbox) == 2


def test_asking_for_the_link_says_the_same_whatever_exists(client, gcm, mailoutbox):
    person("active-one")
    sign_up(client)
    mailoutbox.clear()
    answers = {
        identifier: client.post(reverse(f"{NS}:resend"), {"identifier": identifier})
        for identifier in ("nobody@example.org", "active-one", "amina")
    }
    assert {a.status_code for a in answers.values()} == {302}
    assert len({a["Location"] for a in answers.values()}) == 1
    assert [m.to for m in mailoutbox] == [["amina@example.org"]]


def test_a_deactivated_account_is_not_sent_a_link(client, gcm, mailoutbox):
    """An account the staff switched off never signed up itself: no link revives it."""
    closed = person("closed")
    closed.is_active = False
    closed.save()
    client.post(reverse(f"{NS}:resend"), {"identifier": "closed"})
    assert mailoutbox == []
    page = sign_in(client, "closed").content.decode()
    assert "not verified" not in page


def test_an_unverified_sign_in_is_told_so_only_with_the_right_password(client, gcm):
    sign_up(client)
    wrong = sign_in(client, "amina", "not-the-password").content.decode()
    assert "not verified" not in wrong and "/signup/resend/" not in wrong
    right = sign_in(client, "amina").content.decode()
    assert 'role="alert"' in right
    assert "Your e-mail address is not verified yet." in right
    assert reverse(f"{NS}:resend") + "?identifier=amina" in right


def test_signing_up_again_with_an_unconfirmed_address_leads_to_the_link(client, gcm, mailoutbox):
    sign_up(client)
    again = sign_up(client, username="amina2", email="Amina@example.org")
    assert again.status_code == 422
    page = again.content.decode()
    assert "is waiting for the address to be confirmed" in page
    assert reverse(f"{NS}:resend") + "?identifier=Amina%40example.org" in page
    assert not User.objects.filter(username="amina2").exists()


# --- A forgotten password ------------------------------------------------------------------


def test_a_forgotten_password_is_reset_from_the_arabic_sign_in_page(client, gcm, mailoutbox):
    delegate("karim", "EGY", language="ar", email="karim@example.org")
    login = in_language("accounts:login", "ar")
    assert login == "/ar/accounts/login/"
    page = client.get(login).content.decode()
    reset = in_language("accounts:password-reset", "ar")
    assert f'href="{reset}"' in page

    response = client.post(reset, {"email": "Karim@example.org"})
    assert response["Location"] == in_language("accounts:password-reset-done", "ar")
    assert client.get(response["Location"]).status_code == 200
    (message,) = mailoutbox
    assert message.to == ["karim@example.org"]
    assert message.extra_headers["Content-Language"] == "ar"
    assert ARABIC.search(message.body)
    link = link_in(message)
    assert link.startswith("/ar/accounts/reset/")

    form = client.get(link, follow=True)
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    set_password = form.redirect_chain[-1][0]
    done = client.post(set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == in_language("accounts:password-reset-complete", "ar")
    assert AuditEvent.objects.filter(action="account.password_reset").count() == 1

    assert sign_in(client, "karim", PASSWORD, path=login).status_code == 200  # the old one
    landed = sign_in(client, "karim", NEW_PASSWORD, path=login)
    assert landed.status_code == 302 and landed["Location"].startswith("/ar/")


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, gcm, mailoutbox):
    person("known", email="known@example.org")
    known = client.post(reverse("accounts:password-reset"), {"email": "known@example.org"})
    unknown = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mailoutbox] == [["known@example.org"]]


def test_a_used_reset_link_is_refused(client, gcm, mailoutbox):
    person("lena", email="lena@example.org")
    client.post(reverse("accounts:password-reset"), {"email": "lena@example.org"})
    link = link_in(mailoutbox[0])
    set_password = client.get(link)["Location"]
    client.post(set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    other = Client()
    again = other.get(link, follow=True)
    page = again.content.decode()
    assert "This link does not work" in page and 'name="new_password1"' not in page
    other.post(link, {"new_password1": "third-long-passphrase-9", "new_password2": "x"})
    assert User.objects.get(username="lena").check_password(NEW_PASSWORD)


# --- Signing in lands in one's language ----------------------------------------------------


@pytest.mark.parametrize(
    ("make", "language"),
    [
        (lambda: person("ong", "stakeholder", language="fr"), "fr"),
        (lambda: delegate("ana", "MEX", language="es"), "es"),
        (lambda: delegate("karim", "EGY", language="ar"), "ar"),
    ],
    ids=["french-ngo", "spanish-delegate", "arabic-delegate"],
)
def test_signing_in_lands_in_the_preferred_language(client, gcm, make, language):
    user = make()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    final = response.redirect_chain[-1][0]
    assert final.startswith(f"/{language}/")
    assert f'<html lang="{language}"' in response.content.decode()


def test_signing_in_keeps_the_page_asked_for_in_the_preferred_language(client, gcm):
    delegate("ana", "MEX", language="es")
    wanted = in_language("stakeholders-review:lists", "fr")
    response = sign_in(client, "ana", path=in_language("accounts:login", "fr"), next=wanted)
    assert response["Location"] == in_language("stakeholders-review:lists", "es")


def test_a_reader_makes_the_page_language_their_own(client, gcm):
    ana = delegate("ana", "MEX", language="en")
    client.force_login(ana)
    french = in_language("stakeholders-review:lists", "fr")
    page = client.get(french).content.decode()
    assert 'action="/fr/accounts/language/"' in page
    assert "csrfmiddlewaretoken" in page.split('action="/fr/accounts/language/"')[1][:400]
    english = client.get(in_language("stakeholders-review:lists", "en")).content.decode()
    assert "accounts/language/" not in english  # already their language: nothing offered

    response = client.post(
        in_language("accounts:language", "fr"), {"language": "fr", "next": french}, follow=True
    )
    assert response.redirect_chain == [(french, 302)]
    ana.refresh_from_db()
    assert ana.preferred_language == "fr"
    assert "accounts/language/" not in response.content.decode()


def test_a_public_page_cached_for_everyone_carries_no_offer(client, gcm):
    client.force_login(delegate("ana", "MEX", language="en"))
    page = client.get(in_language("phases:public-home", "fr")).content.decode()
    assert "accounts/language/" not in page and "csrfmiddlewaretoken" not in page


def test_saving_the_language_is_refused_for_a_stranger_or_a_bad_language(client, gcm):
    french = in_language("accounts:language", "fr")
    anonymous = client.post(french, {"language": "fr"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    ana = delegate("ana", "MEX")
    client.force_login(ana)
    assert client.post(french, {"language": "de"}).status_code == 400
    assert client.get(french).status_code == 405
    elsewhere = client.post(french, {"language": "fr", "next": "https://evil.example/"})
    assert elsewhere["Location"] == in_language("accounts:landing", "fr")
    ana.refresh_from_db()
    assert ana.preferred_language == "fr"
