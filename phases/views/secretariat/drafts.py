"""Entering a negotiation draft (OP 27–28: the co-facilitators hold the pen; the
secretariat may enter the text for them): paste the text, see what was understood,
then save."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from compact_process.accounts.permissions import role_required
from compact_process.accounts.roles import Role
from compact_process.web.forms import attempt
from phases import selectors
from phases.drafts import selectors as drafts_selectors
from phases.drafts import services
from phases.drafts.forms import DraftForm, parse_draft
from phases.views.secretariat._common import _rights, change_methods

PEN_HOLDERS = (Role.SECRETARIAT, Role.CO_FACILITATOR)
PREVIEW, SAVE = "preview", "save"


@change_methods
@role_required(*PEN_HOLDERS)
def draft_create(request: HttpRequest) -> HttpResponse:
    process = selectors.default_process_or_404()
    form = DraftForm(request.POST if request.method == "POST" else None)
    parsed = None
    refusal: list[str] = []
    status = 200
    if request.method == "POST":
        # The text is read even when another field is wrong, so that its preview and
        # its problems show at once; nothing typed is lost either way.
        parsed = parse_draft(request.POST.get("text", ""))
        valid = form.is_valid()
        if request.POST.get("action") == SAVE and valid and not parsed.errors:
            data = form.cleaned_data
            outcome = attempt(
                form,
                lambda: services.create_draft(
                    process=process,
                    stage=data["stage"],
                    title=data["title"],
                    issued_on=data["issued_on"],
                    key=data["key"],
                    paragraphs=parsed.paragraphs,
                    source_note=data["source_note"],
                ),
            )
            if outcome.ok:
                # The public page of the new draft shows what was saved (a message would
                # wait for the next staff page: public pages show none).
                return redirect(reverse("drafts:detail", args=[outcome.value.key]))
            refusal = outcome.refusal
        if not valid or parsed.errors or refusal or request.POST.get("action") == SAVE:
            status = 422
    return render(
        request,
        "secretariat/drafts_form.html",
        {
            "nav": "documents",
            "process": process,
            "form": form,
            "parsed": parsed,
            "bad_rows": parsed.errors if parsed else [],
            "refusal": refusal,
            "drafts": drafts_selectors.drafts(process),
            **_rights(request),
        },
        status=status,
    )
