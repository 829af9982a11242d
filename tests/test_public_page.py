"""The plain public page lists the process's phases and meetings in local time."""

import pytest
from django.urls import reverse


def test_public_page_lists_phases_and_meetings_in_venue_time(client, gcm):
    response = client.get(reverse("phases:public-home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Phase I: Consultations" in html
    assert "Phase III: Intergovernmental negotiations" in html
    assert "Informal thematic session 5" in html
    assert "Vienna" in html
    assert 'datetime="2017-09-04"' in html
    assert "Europe/Vienna" in html
    assert "Marrakech" in html


def test_public_page_is_born_translatable(client, gcm):
    html = client.get("/fr/").content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    arabic = client.get("/ar/").content.decode()
    assert '<html lang="ar" dir="rtl">' in arabic
    # The switcher links to this same page in every official language.
    for code, url in [("en", "/"), ("zh-hans", "/zh-hans/"), ("fr", "/fr/"), ("es", "/es/")]:
        assert f'href="{url}" lang="{code}" hreflang="{code}"' in arabic


@pytest.mark.django_db
def test_public_page_without_a_process_says_how_to_seed(client):
    from phases.models import Process

    Process.objects.all().delete()
    assert "seed_gcm" in client.get("/").content.decode()


def test_healthz_is_trivial(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.content == b"ok"
