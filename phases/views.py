"""Public pages. The public reads through selectors; nothing here writes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from phases import selectors


def public_home(request: HttpRequest) -> HttpResponse:
    """The process at a glance: its phases and meetings, in the venues' local times."""
    process = selectors.default_process()
    context = {"process": process, "phases": [], "unphased": []}
    if process is not None:
        context.update(selectors.public_overview(process))
    return render(request, "phases/public_home.html", context)
