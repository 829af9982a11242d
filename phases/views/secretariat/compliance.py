"""The secretariat's compliance report: every mandate check, each finding linked to
where it can be fixed."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from compact_process.accounts.permissions import role_required
from compact_process.formats import written
from phases import mandate, selectors
from phases.enums import Timeliness
from phases.selectors import secretariat as staff
from phases.views.secretariat._common import STAFF, STATUS_LABELS, _rights

FINDINGS_SHOWN = 25

# The compliance report's figures, named for people (keys not listed are shown humanised).
FIGURE_LABELS = {
    "meetings_checked": gettext_lazy("Meetings checked"),
    "outside": gettext_lazy("Outside their window"),
    "sessions": gettext_lazy("Thematic sessions"),
    "mandated_sessions": gettext_lazy("Mandated sessions"),
    "working_days": gettext_lazy("Working days used"),
    "working_days_cap": gettext_lazy("Working days allowed"),
    "working_days_by_session": gettext_lazy("Working days by session"),
    "panels": gettext_lazy("Panels"),
    "distribution_by_session": gettext_lazy("Moderators by regional group, by session"),
    "in_advance": gettext_lazy("Issue briefs in advance"),
    "delivered": gettext_lazy("Delivered"),
    "meetings": gettext_lazy("Meetings"),
    "chairs_summary": gettext_lazy("Chair's summary"),
    "zero_draft": gettext_lazy("Zero draft"),
    "rounds": gettext_lazy("Negotiation rounds"),
    "rounds_matching": gettext_lazy("Rounds with their mandated days"),
    "days_used": gettext_lazy("Days used"),
    "days_allowed": gettext_lazy("Days allowed"),
    "hearings": gettext_lazy("Hearings"),
    "lists": gettext_lazy("Lists"),
    "deliverables": gettext_lazy("Deliverables"),
    **{t.value: t.label for t in Timeliness},
}


def _tracker_url(key: str = "") -> str:
    url = reverse("secretariat:deliverables")
    return f"{url}#deliverable-{key}" if key else url


def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return written.day_words_of(value)  # a day in words, not the figure's ISO


def _figure_rows(
    figures: dict[str, Any], names: dict[str, str], *, nested: bool = False
) -> list[dict[str, Any]]:
    """Figures as (label, value) rows; a dict value becomes nested rows. A nested row's
    key is a meeting's key (shown as its title, in the reader's language) or a label the
    rule already wrote out (a regional group's name), kept as it is."""
    rows = []
    for key, value in figures.items():
        if key in FIGURE_LABELS:
            label = FIGURE_LABELS[key]
        elif key in names:
            label = names[key]
        elif nested:
            label = key
        else:
            label = key.replace("_", " ").capitalize()
        if isinstance(value, dict):
            rows.append(
                {"label": label, "value": None, "rows": _figure_rows(value, names, nested=True)}
            )
        else:
            shown = "—" if value is None else _number(value)
            rows.append({"label": label, "value": shown, "rows": []})
    return rows


def _target_url(target: staff.Target | None) -> str:
    if target is None:
        return ""
    if target.deliverable_key:
        return _tracker_url(target.deliverable_key)
    url = reverse("secretariat:meeting", args=[target.meeting_id])
    return f"{url}#panel-{target.panel_id}" if target.panel_id else url


@require_safe
@role_required(*STAFF)
def compliance(request: HttpRequest) -> HttpResponse:
    """Every mandate check with its OP, status, summary and figures; each finding links
    to where it can be fixed."""
    process = selectors.default_process_or_404()
    today = timezone.localdate()
    results = selectors.compliance_report(process, today=today)
    targets = staff.finding_targets(process, results)
    # A rule's findings beyond the first FINDINGS_SHOWN are listed on request (?all=<rule>),
    # so that a process with thousands of findings still gives a readable page.
    expanded = request.GET.get("all", "")
    names = staff.meeting_titles(process)
    rules = []
    for r in results:
        findings = [f for f in r.findings if f.status != mandate.OK]
        shown = findings if r.code == expanded else findings[:FINDINGS_SHOWN]
        rules.append(
            {
                "result": r,
                "status_label": STATUS_LABELS[r.status],
                "figures": _figure_rows(r.figures, names),
                "findings": [
                    {
                        "finding": f,
                        "status_label": STATUS_LABELS[f.status],
                        "url": _target_url(targets.get(f.subject)),
                    }
                    for f in shown
                ],
                "total_findings": len(findings),
                "hidden_findings": len(findings) - len(shown),
            }
        )
    return render(
        request,
        "secretariat/compliance.html",
        {
            "nav": "compliance",
            "process": process,
            "rules": rules,
            "counts": [
                (status, STATUS_LABELS[status], n)
                for status, n in staff.status_counts(results).items()
            ],
            "today": today,
            **_rights(request),
        },
    )
