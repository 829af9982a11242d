"""The public-page cache (compact_process/web/cache.py) serves what the database holds.

A cached hit runs no SQL; a conditional GET with the page's ETag gets a bodiless 304; an
edit through ``phases.services`` shows at once, under a new ETag, and the version moves
again when the edit commits; each language URL has its own page; and nothing about the
visitor (CSRF token, username) ever enters the shared page.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from phases import services
from phases.models import Meeting
from tests.pages import client_for, reset_public_cache, user_with_role

MEETING_KEY = "thematic-1"


@pytest.fixture(autouse=True)
def fresh_public_cache():
    """Each test starts (and leaves) with an empty page cache and a new content version:
    the database rolls back after each test, but the cache would not."""
    reset_public_cache()
    yield
    reset_public_cache()


def meeting_url() -> str:
    return reverse("phases:meeting", args=[MEETING_KEY])


def test_a_second_get_runs_no_sql(client, gcm, django_assert_num_queries):
    for url in ("/", reverse("phases:calendar"), meeting_url(), "/ar/"):
        first = client.get(url)
        assert first.status_code == 200, url
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.status_code == 200
        assert second.content == first.content
        assert second["ETag"] == first["ETag"]


def test_conditional_get_with_the_etag_is_a_bodiless_304(client, gcm, django_assert_num_queries):
    first = client.get("/")
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert first["Last-Modified"]
    assert "no-cache" in first["Cache-Control"]
    with django_assert_num_queries(0):
        again = client.get("/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    # A tag from another page (or an old version) gets the full page.
    other = client.get("/", headers={"If-None-Match": '"not-this-one"'})
    assert other.status_code == 200 and other.content == first.content


def test_an_edit_shows_at_once_under_a_new_etag(client, gcm, django_capture_on_commit_callbacks):
    url = meeting_url()
    before = client.get(url)
    old_title = Meeting.objects.get(process=gcm, key=MEETING_KEY).title
    assert old_title in before.content.decode()
    timeline_before = client.get("/")

    meeting = Meeting.objects.get(process=gcm, key=MEETING_KEY)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.update_meeting(meeting=meeting, title="Renamed thematic session")
        # Before the commit: the write already bumped the version (no stale page now).
        during = client.get(url)
        assert "Renamed thematic session" in during.content.decode()
        assert during["ETag"] != before["ETag"]
    assert callbacks, "the write registered no on-commit bump"

    # After the commit the version moved again: a page a reader might have rendered from
    # the old data between the write and the commit is not served under the new version.
    after = client.get(url)
    assert after.status_code == 200
    assert "Renamed thematic session" in after.content.decode()
    assert old_title not in after.content.decode()
    assert after["ETag"] not in (before["ETag"], during["ETag"])
    # The old ETag no longer gets a 304.
    assert client.get(url, headers={"If-None-Match": before["ETag"]}).status_code == 200
    # Every public page moved, not only the meeting's own.
    timeline_after = client.get("/")
    assert timeline_after["ETag"] != timeline_before["ETag"]
    assert "Renamed thematic session" in timeline_after.content.decode()


def test_each_language_url_has_its_own_page(client, gcm):
    pages = {url: client.get(url) for url in ("/", "/fr/", "/ar/", "/zh-hans/")}
    assert len({p["ETag"] for p in pages.values()}) == len(pages)
    assert len({p.content for p in pages.values()}) == len(pages)
    assert '<html lang="en" dir="ltr">' in pages["/"].content.decode()
    assert '<html lang="fr" dir="ltr">' in pages["/fr/"].content.decode()
    assert '<html lang="ar" dir="rtl">' in pages["/ar/"].content.decode()
    assert '<html lang="zh-hans" dir="ltr">' in pages["/zh-hans/"].content.decode()
    # Asked again (cached now), each language still gets its own.
    assert '<html lang="ar" dir="rtl">' in client.get("/ar/").content.decode()
    assert '<html lang="en" dir="ltr">' in client.get("/").content.decode()


@pytest.mark.parametrize("signed_in_first", [True, False], ids=["signed-in-first", "anon-first"])
def test_a_signed_in_user_gets_the_same_public_page(gcm, signed_in_first):
    user = user_with_role("secretariat")
    anonymous, signed_in = client_for(None), client_for("secretariat")
    urls = ["/", reverse("phases:calendar"), meeting_url()]
    for url in urls:
        order = [signed_in, anonymous] if signed_in_first else [anonymous, signed_in]
        first, second = (c.get(url) for c in order)
        assert first.status_code == second.status_code == 200
        assert first.content == second.content, url
        assert first["ETag"] == second["ETag"]
        html = first.content.decode()
        # Nothing of the visitor in the shared page.
        assert "csrfmiddlewaretoken" not in html
        assert user.username not in html
        assert "Sign out" not in html
        assert "csrftoken" not in first.cookies and "csrftoken" not in second.cookies
