"""Each person's profile: their name and the language of what the application sends
them (issue 7)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from tests.pages import client_for, user_with_role


def test_the_profile_offers_each_language_in_its_own_name(db):
    page = client_for("delegate").get(reverse("accounts:profile")).content.decode()
    for name in ("العربيّة", "简体中文", "English", "français", "Русский", "español"):
        assert name in page
    assert 'type="radio"' in page and 'name="preferred_language"' in page


def test_choosing_spanish_saves_it_and_answers_in_spanish(db):
    client = client_for("delegate")
    response = client.post(
        reverse("accounts:profile"),
        {"first_name": "Ana", "last_name": "Pérez", "preferred_language": "es"},
        follow=True,
    )
    with translation.override("es"):
        spanish_url = reverse("accounts:profile")
    assert response.redirect_chain == [(spanish_url, 302)]
    assert spanish_url.startswith("/es/")
    user = get_user_model().objects.get(pk=user_with_role("delegate").pk)
    assert (user.preferred_language, user.first_name) == ("es", "Ana")
    assert 'lang="es"' in response.content.decode()
    assert "español" in response.content.decode()


def test_a_language_that_is_not_offered_is_refused_and_nothing_is_saved(db):
    client = client_for("delegate")
    response = client.post(
        reverse("accounts:profile"), {"first_name": "Ana", "preferred_language": "de"}
    )
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    user = get_user_model().objects.get(pk=user_with_role("delegate").pk)
    assert user.preferred_language == "en" and user.first_name != "Ana"


def test_the_profile_needs_a_signed_in_person(client, db):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_signed_in_pages_link_the_name_to_the_profile(gcm):
    page = client_for("secretariat").get(reverse("secretariat:dashboard")).content.decode()
    assert f'class="who" href="{reverse("accounts:profile")}"' in page
