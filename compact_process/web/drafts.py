"""What a person types into a long field is kept until the server has accepted it.

A form marked ``data-keep-draft="{% draft_key %}"`` has its text fields kept by
static/js/keep-draft.js in the browser tab's sessionStorage as they are typed, and put
back into an empty field when the page is shown again: after a 503 during a database
outage (compact_process/web/outage.py), a lost connection, a reload. The draft is
dropped only when the server says it took the submission: the view that saved it calls
``accepted`` on its response, which sets a short-lived cookie naming the form's page;
the script on the next page (any page) drops that draft and the cookie. A failure of any
kind (a 503, a 500, a sign-in page after an idle session) says nothing, so the draft
stays. sessionStorage ends with the tab, so that a shared computer keeps nothing.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language_from_path

COOKIE = "draft_accepted"
# Read by the page the browser goes to next, usually at once (the redirect).
COOKIE_SECONDS = 300


def draft_key(request: HttpRequest) -> str:
    """The form's page without its language prefix, so that a draft typed on /fr/… is
    found on the same page in another language; the query string is left out."""
    path = request.path_info
    code = get_language_from_path(path)
    if code and path.startswith(f"/{code}/"):
        path = path[len(code) + 1 :]
    return path


def accepted(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    """Tell the browser that this request's form was saved: its draft can go."""
    response.set_cookie(
        COOKIE,
        quote(draft_key(request), safe=""),
        max_age=COOKIE_SECONDS,
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=False,  # the script reads it
        samesite="Lax",
    )
    return response
