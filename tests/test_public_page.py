"""The plain public page lists the process's phases and meetings in local time."""

import pytest
from django.urls import reverse


def test_public_page_lists_phases_and_meetings_in_venue_time(client, gcm):
    import datetime

    import time_machine

    # In August 2017 the Vienna session is to come: its days are listed in full (the
    # meetings held are one line each, folded).
    with time_machine.travel(datetime.datetime(2017, 8, 1, tzinfo=datetime.UTC), tick=False):
        response = client.get(reverse("phases:public-home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Phase I: Consultations" in html
    assert "Phase III: Intergovernmental negotiations" in html
    assert "Informal thematic session 5" in html
    assert "Vienna" in html
    assert 'datetime="2017-09-04"' in html
    assert 'Vienna time <span class="zone">(UTC+2)</span>' in html  # September: summer time
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


def _grow(process, n: int) -> None:
    """Add n meetings with two days and two panels each (bypassing the services: this is
    volume for counting queries, not data entry)."""
    import datetime

    from phases.enums import MeetingKind
    from phases.models import Meeting, MeetingDay, Panel, Venue

    venue = Venue.objects.get(slug="new-york")
    meetings = Meeting.objects.bulk_create(
        Meeting(
            process=process,
            key=f"extra-{i}",
            kind=MeetingKind.INFORMAL_CONSULTATION,
            title=f"Extra consultation {i}",
            venue=venue,
        )
        for i in range(n)
    )
    MeetingDay.objects.bulk_create(
        MeetingDay(meeting=m, date=datetime.date(2017, 5, 1) + datetime.timedelta(days=d + i))
        for i, m in enumerate(meetings)
        for d in (0, 2)
    )
    Panel.objects.bulk_create(
        Panel(meeting=m, order=o, title=f"Panel {o}") for m in meetings for o in (1, 2)
    )


@pytest.mark.parametrize(
    "url", ["/", "/calendar/", "/calendar/2017/5/", "/meetings/thematic-5/", "/calendar.ics"]
)
def test_public_pages_run_the_same_queries_whatever_the_data_size(
    client, gcm, url, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from compact_process.web.cache import bump_content_version, local_pages

    def uncached_queries() -> int:
        bump_content_version()
        local_pages.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = uncached_queries()
    _grow(gcm, 30)
    bump_content_version()
    local_pages.clear()
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200
