"""The audit trail as sentences in the reader's language, never raw keys (the Office's
audit page): "Mexico objected to Migrant Aid, giving a basis, not allowing disclosure".

One function per recorded action (every ``record("…")`` of ``stakeholders``, ``phases``
and ``compact_process``), registered with ``@says("action")``. Each is a whole sentence
with named placeholders, so that a translator may reorder it; States are named in the
reader's language (``MemberState.name`` is translated), organizations by their name,
lists and organizations linked to the Office's pages. The names an event refers to are
read for the whole page at once (``Names``: one query per kind of thing, whatever the
number of events). An action without a sentence, or whose details do not fit its
sentence, reads as a generic sentence: the page never fails on an event.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext as _

from compact_process.web.templatetags.instants import instant

log = logging.getLogger(__name__)

Sentence = Callable[[Any, "Names"], SafeString]
SENTENCES: dict[str, Sentence] = {}


def says(*actions: str) -> Callable[[Sentence], Sentence]:
    def register(function: Sentence) -> Sentence:
        for action in actions:
            SENTENCES[action] = function
        return function

    return register


def _say(message: str, **params: Any) -> SafeString:
    """A translated message with its named placeholders filled, each escaped (a link or
    a ``<time>`` element, already safe, is kept)."""
    return mark_safe(
        conditional_escape(message) % {k: conditional_escape(v) for k, v in params.items()}
    )


def _link(route: str, args: list, text: str) -> SafeString:
    try:
        return format_html('<a href="{}">{}</a>', reverse(route, args=args), text)
    except NoReverseMatch:
        return conditional_escape(text)


def _when(value: Any) -> SafeString | str:
    """An instant stored as ISO text, as the page shows instants (UTC, localized)."""
    parsed = parse_datetime(value) if isinstance(value, str) else value
    if isinstance(parsed, datetime.datetime):
        return instant(parsed)
    return str(value)


def _ids(events: list, key: str) -> set[int]:
    found = set()
    for event in events:
        value = (event.data or {}).get(key)
        if isinstance(value, int):
            found.add(value)
    return found


class Names:
    """What the events of one page refer to, read at once: at most one query per kind
    of thing, and none for a kind no event refers to."""

    def __init__(self, events: Iterable) -> None:
        from phases.models import Deliverable, Document, Meeting, MemberState, Panel
        from stakeholders.models import (
            Application,
            InformationRequest,
            ListEntry,
            Organization,
            StakeholderList,
        )
        from stakeholders.models_registry import DirectRegistration

        events = list(events)
        requests = _ids(events, "request_id")
        self.requests: dict[int, tuple[str, int]] = {}
        if requests:
            self.requests = {
                pk: (iso3, entry_id)
                for pk, iso3, entry_id in InformationRequest.objects.filter(
                    pk__in=requests
                ).values_list("pk", "requesting_state__iso3", "entry_id")
            }
        iso3s = {(e.data or {}).get("state") for e in events} | {
            iso3 for iso3, _entry in self.requests.values()
        }
        iso3s = {code for code in iso3s if isinstance(code, str) and len(code) == 3}
        self.states: dict[str, str] = {}
        if iso3s:
            self.states = {s.iso3: s.name for s in MemberState.objects.filter(iso3__in=iso3s)}
        entry_ids = {e.entry_id for e in events if e.entry_id}
        self.entries: dict[int, tuple[str, int]] = {}
        if entry_ids:
            self.entries = {
                entry.pk: (str(entry.application.organization), entry.application_id)
                for entry in ListEntry.objects.filter(pk__in=entry_ids).select_related(
                    "application__organization"
                )
            }
        list_ids = {e.list_id for e in events if e.list_id}
        self.lists: dict[int, str] = {}
        if list_ids:
            self.lists = dict(
                StakeholderList.objects.filter(pk__in=list_ids).values_list("pk", "title")
            )
        applications = _ids(events, "application_id")
        self.applications: dict[int, str] = {}
        if applications:
            self.applications = {
                a.pk: str(a.organization)
                for a in Application.objects.filter(pk__in=applications).select_related(
                    "organization"
                )
            }
        organizations = _ids(events, "organization_id")
        self.organizations: dict[int, str] = {}
        if organizations:
            self.organizations = {
                o.pk: str(o) for o in Organization.objects.filter(pk__in=organizations)
            }
        registrations = _ids(events, "registration_id")
        self.registrations: dict[int, str] = {}
        if registrations:
            self.registrations = {
                r.pk: str(r.organization)
                for r in DirectRegistration.objects.filter(pk__in=registrations).select_related(
                    "organization"
                )
            }
        meetings = _ids(events, "meeting_id")
        self.meetings: dict[int, str] = {}
        if meetings:
            self.meetings = {m.pk: m.title for m in Meeting.objects.filter(pk__in=meetings)}
        deliverables = _ids(events, "deliverable")
        self.deliverables: dict[int, str] = {}
        if deliverables:
            self.deliverables = {
                d.pk: d.title for d in Deliverable.objects.filter(pk__in=deliverables)
            }
        panels = _ids(events, "panel")
        self.panels: dict[int, str] = {}
        if panels:
            self.panels = {p.pk: p.title for p in Panel.objects.filter(pk__in=panels)}
        documents = _ids(events, "document")
        self.documents: dict[int, str] = {}
        if documents:
            self.documents = {
                d.pk: d.symbol or d.title for d in Document.objects.filter(pk__in=documents)
            }

    # --- The names, as the sentences show them ----------------------------------------

    def state(self, iso3: str | None) -> str:
        return self.states.get(iso3 or "", iso3 or _("a State"))

    def stakeholder_list(self, event) -> SafeString:
        title = self.lists.get(event.list_id) or (event.data or {}).get("title") or ""
        if not title:
            return conditional_escape(_("a list"))
        return _link("stakeholders-office:list", [event.list_id], title)

    def entry(self, event, entry_id: int | None = None) -> SafeString:
        """The organization of the event's entry, linked to its application."""
        entry_id = entry_id or event.entry_id
        if entry_id in self.entries:
            name, application_id = self.entries[entry_id]
            return _link("stakeholders-office:application", [application_id], name)
        return conditional_escape((event.data or {}).get("organization") or _("an entry"))

    def application(self, event) -> SafeString:
        data = event.data or {}
        pk = data.get("application_id")
        name = self.applications.get(pk) or data.get("organization")
        if not name:
            return conditional_escape(_("an organization"))
        return _link("stakeholders-office:application", [pk], name)

    def organization(self, event) -> str:
        data = event.data or {}
        return (
            self.organizations.get(data.get("organization_id"))
            or data.get("organization")
            or _("an organization")
        )

    def meeting(self, event) -> str:
        return self.meetings.get((event.data or {}).get("meeting_id")) or _("a meeting")

    def deliverable(self, event) -> str:
        return self.deliverables.get((event.data or {}).get("deliverable")) or _("a deliverable")

    def panel(self, event) -> str:
        return self.panels.get((event.data or {}).get("panel")) or _("a panel")

    def document(self, event) -> str:
        data = event.data or {}
        return self.documents.get(data.get("document")) or data.get("symbol") or _("a document")


# --- Composing and submitting a list ----------------------------------------------------


@says("list.created")
def _list_created(event, names: Names) -> SafeString:
    from stakeholders.enums import ListPurpose

    purpose = (event.data or {}).get("purpose")
    return _say(
        _("The Office created the list %(list)s, for: %(purpose)s."),
        list=names.stakeholder_list(event),
        purpose=str(dict(ListPurpose.choices).get(purpose, purpose or "")),
    )


@says("entry.added")
def _entry_added(event, names: Names) -> SafeString:
    return _say(
        _("The Office added %(organization)s to %(list)s."),
        organization=names.entry(event),
        list=names.stakeholder_list(event),
    )


@says("list.submitted")
def _list_submitted(event, names: Names) -> SafeString:
    data = event.data or {}
    n = int(data.get("entries", 0))
    return _say(
        ngettext(
            "The Office submitted %(list)s (%(n)s entry) to Member States for review until "
            "%(deadline)s.",
            "The Office submitted %(list)s (%(n)s entries) to Member States for review until "
            "%(deadline)s.",
            n,
        ),
        list=names.stakeholder_list(event),
        n=n,
        deadline=_when(data["deadline"]),
    )


@says("review.extended")
def _review_extended(event, names: Names) -> SafeString:
    data = event.data or {}
    return _say(
        _(
            "The Office extended the review of %(list)s from %(before)s to %(after)s, "
            "giving the reason: %(reason)s"
        ),
        list=names.stakeholder_list(event),
        before=_when(data["before"]),
        after=_when(data["after"]),
        reason=data.get("reason", ""),
    )


@says("review.closed")
def _review_closed(event, names: Names) -> SafeString:
    data = event.data or {}
    if "approved" not in data or "not_approved" not in data:
        return _say(_("The review of %(list)s closed."), list=names.stakeholder_list(event))
    return _say(
        _("The review of %(list)s closed: %(approved)s approved, %(not_approved)s not approved."),
        list=names.stakeholder_list(event),
        approved=int(data["approved"]),
        not_approved=int(data["not_approved"]),
    )


# --- The Member State review ------------------------------------------------------------


@says("objection.lodged")
def _objection_lodged(event, names: Names) -> SafeString:
    data = event.data or {}
    basis, disclose = bool(data.get("with_basis")), bool(data.get("disclose_identity"))
    if basis and disclose:
        message = _(
            "%(state)s objected to %(organization)s, giving a basis, allowing its identity "
            "to be shared on request."
        )
    elif basis:
        message = _(
            "%(state)s objected to %(organization)s, giving a basis, not allowing its "
            "identity to be shared."
        )
    elif disclose:
        message = _(
            "%(state)s objected to %(organization)s, giving no basis, allowing its identity "
            "to be shared on request."
        )
    else:
        message = _(
            "%(state)s objected to %(organization)s, giving no basis, not allowing its "
            "identity to be shared."
        )
    return _say(message, state=names.state(data.get("state")), organization=names.entry(event))


@says("objection.withdrawn")
def _objection_withdrawn(event, names: Names) -> SafeString:
    return _say(
        _("%(state)s withdrew its objection to %(organization)s."),
        state=names.state((event.data or {}).get("state")),
        organization=names.entry(event),
    )


@says("information.requested")
def _information_requested(event, names: Names) -> SafeString:
    data = event.data or {}
    request_id = data.get("request_id")
    return _say(
        _("%(state)s asked for the information on the objections to %(organization)s."),
        state=(
            _link("stakeholders-office:share", [request_id], names.state(data.get("state")))
            if request_id
            else names.state(data.get("state"))
        ),
        organization=names.entry(event),
    )


@says("information.shared")
def _information_shared(event, names: Names) -> SafeString:
    data = event.data or {}
    n = int(data.get("items", 0))
    iso3, _entry = names.requests.get(data.get("request_id"), (None, None))
    if iso3 is None:
        return _say(
            ngettext(
                "The Office shared the information on %(organization)s (%(n)s item).",
                "The Office shared the information on %(organization)s (%(n)s items).",
                n,
            ),
            organization=names.entry(event),
            n=n,
        )
    return _say(
        ngettext(
            "The Office shared the information on %(organization)s with %(state)s (%(n)s item).",
            "The Office shared the information on %(organization)s with %(state)s (%(n)s items).",
            n,
        ),
        organization=names.entry(event),
        state=names.state(iso3),
        n=n,
    )


# --- Applications ------------------------------------------------------------------------


def _channel(value: str | None) -> str:
    from stakeholders.enums import Channel

    return str(dict(Channel.choices).get(value, value or ""))


@says("application.submitted")
def _application_submitted(event, names: Names) -> SafeString:
    from stakeholders.enums import ListPurpose

    data = event.data or {}
    purpose = dict(ListPurpose.choices).get(data.get("purpose") or "")
    if purpose:  # events written before applications named their purpose have none
        return _say(
            _("%(organization)s applied (%(purpose)s): %(channel)s."),
            organization=names.application(event),
            purpose=str(purpose),
            channel=_channel(data.get("channel")),
        )
    return _say(
        _("%(organization)s applied: %(channel)s."),
        organization=names.application(event),
        channel=_channel(data.get("channel")),
    )


@says("application.screened")
def _application_screened(event, names: Names) -> SafeString:
    from stakeholders.enums import ApplicationState

    data = event.data or {}
    state, reason = data.get("state"), data.get("reason") or ""
    organization = names.application(event)
    if state == ApplicationState.SCREENED_IN:
        return _say(
            _("The Office screened in the application of %(organization)s."),
            organization=organization,
        )
    if state == ApplicationState.SCREENED_OUT:
        return _say(
            _("The Office screened out the application of %(organization)s: %(reason)s"),
            organization=organization,
            reason=reason,
        )
    return _say(
        _("The Office asked %(organization)s for information: %(reason)s"),
        organization=organization,
        reason=reason,
    )


@says("application.resubmitted")
def _application_resubmitted(event, names: Names) -> SafeString:
    return _say(
        _("%(organization)s answered the Office's request for information."),
        organization=names.application(event),
    )


@says("application.registered")
def _application_registered(event, names: Names) -> SafeString:
    return _say(
        _("%(organization)s is registered without list review: %(channel)s."),
        organization=names.application(event),
        channel=_channel((event.data or {}).get("channel")),
    )


@says("registration.requested")
def _registration_requested(event, names: Names) -> SafeString:
    data = event.data or {}
    if data.get("state") == "confirmed":
        message = _(
            "%(organization)s registered directly (%(channel)s), matching “%(matched)s” "
            "exactly; confirmed at once."
        )
    else:
        message = _(
            "%(organization)s asked to register directly (%(channel)s), nearly matching "
            "“%(matched)s”; the secretariat confirms."
        )
    return _say(
        message,
        organization=names.organization(event),
        channel=_channel(data.get("channel")),
        matched=data.get("matched", ""),
    )


@says("registration.decided")
def _registration_decided(event, names: Names) -> SafeString:
    data = event.data or {}
    organization = names.registrations.get(data.get("registration_id")) or _("an organization")
    if data.get("state") == "confirmed":
        return _say(
            _("The secretariat confirmed the direct registration of %(organization)s."),
            organization=organization,
        )
    return _say(
        _("The secretariat did not confirm the direct registration of %(organization)s."),
        organization=organization,
    )


@says("accredited.imported")
def _accredited_imported(event, names: Names) -> SafeString:
    data = event.data or {}

    def count(key: str) -> int:
        value = data.get(key, 0)
        return len(value) if isinstance(value, list) else int(value or 0)

    source = _("the ECOSOC list") if data.get("source") == "ecosoc" else _("the NHRI list")
    rows = int(data.get("rows", 0))
    return _say(
        ngettext(
            "The secretariat imported %(source)s: %(rows)s row; %(added)s added, "
            "%(changed)s changed, %(removed)s removed.",
            "The secretariat imported %(source)s: %(rows)s rows; %(added)s added, "
            "%(changed)s changed, %(removed)s removed.",
            rows,
        ),
        source=source,
        rows=rows,
        added=count("added"),
        changed=count("changed"),
        removed=count("removed"),
    )


@says("window.created")
def _window_created(event, names: Names) -> SafeString:
    return _say(_("The application window for special accreditation was created."))


@says("window.set")
def _window_set(event, names: Names) -> SafeString:
    after = (event.data or {}).get("after") or {}
    return _say(
        _("The application window for special accreditation was set: %(opens)s to %(closes)s."),
        opens=_when(after["opens_at"]),
        closes=_when(after["closes_at"]),
    )


# --- Accounts and organizations ----------------------------------------------------------


@says("account.signed_up")
def _signed_up(event, names: Names) -> SafeString:
    return _say(
        _("%(username)s signed up; the e-mail address is to be confirmed."),
        username=(event.data or {}).get("username", ""),
    )


@says("account.verified")
def _verified(event, names: Names) -> SafeString:
    return _say(
        _("%(username)s confirmed the e-mail address."),
        username=(event.data or {}).get("username", ""),
    )


@says("account.locked")
def _account_locked(event, names: Names) -> SafeString:
    data = event.data or {}
    return _say(
        ngettext(
            "Signing in as %(username)s was paused for %(minutes)s minute after %(n)s "
            "failed attempts in a row.",
            "Signing in as %(username)s was paused for %(minutes)s minutes after %(n)s "
            "failed attempts in a row.",
            data.get("minutes") or 0,
        ),
        username=data.get("username", ""),
        minutes=data.get("minutes", ""),
        n=data.get("failures", ""),
    )


@says("address.locked")
def _address_locked(event, names: Names) -> SafeString:
    data = event.data or {}
    return _say(
        ngettext(
            "Signing in from the address %(address)s was paused for %(minutes)s minute "
            "after %(n)s failed attempts in a row.",
            "Signing in from the address %(address)s was paused for %(minutes)s minutes "
            "after %(n)s failed attempts in a row.",
            data.get("minutes") or 0,
        ),
        address=data.get("ip_address", ""),
        minutes=data.get("minutes", ""),
        n=data.get("failures", ""),
    )


@says("account.unlocked")
def _account_unlocked(event, names: Names) -> SafeString:
    return _say(
        _("The secretariat unlocked signing in as %(username)s."),
        username=(event.data or {}).get("username", ""),
    )


@says("address.unlocked")
def _address_unlocked(event, names: Names) -> SafeString:
    return _say(
        _("The secretariat unlocked signing in from the address %(address)s."),
        address=(event.data or {}).get("ip_address", ""),
    )


@says("account.verification_resent")
def _verification_resent(event, names: Names) -> SafeString:
    return _say(
        _("%(username)s asked for the link to confirm the e-mail address again."),
        username=(event.data or {}).get("username", ""),
    )


@says("account.password_reset")
def _password_reset(event, names: Names) -> SafeString:
    return _say(
        _("%(username)s chose a new password through a reset link."),
        username=(event.data or {}).get("username", ""),
    )


@says("account.password_changed")
def _password_changed(event, names: Names) -> SafeString:
    return _say(
        _("%(username)s changed the password."),
        username=(event.data or {}).get("username", ""),
    )


@says("account.two_factor_enabled")
def _two_factor_enabled(event, names: Names) -> SafeString:
    return _say(
        _("%(username)s turned on two-step verification."),
        username=(event.data or {}).get("username", ""),
    )


@says("account.two_factor_disabled")
def _two_factor_disabled(event, names: Names) -> SafeString:
    return _say(
        _("%(username)s turned off two-step verification."),
        username=(event.data or {}).get("username", ""),
    )


@says("account.recovery_codes_renewed")
def _recovery_codes_renewed(event, names: Names) -> SafeString:
    return _say(
        _("%(username)s made new recovery codes; the earlier ones no longer work."),
        username=(event.data or {}).get("username", ""),
    )


@says("account.recovery_code_used")
def _recovery_code_used(event, names: Names) -> SafeString:
    data = event.data or {}
    return _say(
        ngettext(
            "%(username)s signed in with a recovery code; %(n)s is left.",
            "%(username)s signed in with a recovery code; %(n)s are left.",
            data.get("left") or 0,
        ),
        username=data.get("username", ""),
        n=data.get("left", 0),
    )


@says("organization.created")
def _organization_created(event, names: Names) -> SafeString:
    return _say(
        _("The profile of %(organization)s was created."),
        organization=names.organization(event),
    )


@says("organization.updated")
def _organization_updated(event, names: Names) -> SafeString:
    return _say(
        _("The profile of %(organization)s was updated."),
        organization=names.organization(event),
    )


# --- Participation in meetings -----------------------------------------------------------


@says("nomination.made")
def _nomination_made(event, names: Names) -> SafeString:
    return _say(
        _("%(organization)s nominated a representative for %(meeting)s."),
        organization=names.organization(event),
        meeting=names.meeting(event),
    )


@says("nomination.withdrawn")
def _nomination_withdrawn(event, names: Names) -> SafeString:
    return _say(
        _("%(organization)s withdrew a nomination for %(meeting)s."),
        organization=names.organization(event),
        meeting=names.meeting(event),
    )


@says("nomination.decided")
def _nomination_decided(event, names: Names) -> SafeString:
    if (event.data or {}).get("state") == "confirmed":
        message = _(
            "The secretariat confirmed a representative of %(organization)s for %(meeting)s."
        )
    else:
        message = _(
            "The secretariat declined a representative of %(organization)s for %(meeting)s."
        )
    return _say(message, organization=names.organization(event), meeting=names.meeting(event))


@says("deadline.set")
def _deadline_set(event, names: Names) -> SafeString:
    data = event.data or {}
    if data.get("default") or not data.get("after"):
        return _say(
            _("The nominations for %(meeting)s close at the default deadline again."),
            meeting=names.meeting(event),
        )
    return _say(
        _("The nominations for %(meeting)s now close at %(deadline)s."),
        meeting=names.meeting(event),
        deadline=_when(data["after"]),
    )


# --- Documents ---------------------------------------------------------------------------


def _language(code: str | None) -> str:
    try:
        return get_language_info(code)["name_translated"]
    except (KeyError, TypeError):
        return code or ""


@says("document.created")
def _document_created(event, names: Names) -> SafeString:
    return _say(_("Document %(document)s was created."), document=names.document(event))


@says("document.updated")
def _document_updated(event, names: Names) -> SafeString:
    return _say(
        _("The details of document %(document)s were changed."), document=names.document(event)
    )


@says("document.text_saved")
def _document_text_saved(event, names: Names) -> SafeString:
    return _say(
        _("The %(language)s text of document %(document)s was saved."),
        language=_language((event.data or {}).get("language")),
        document=names.document(event),
    )


@says("document.file_attached")
def _document_file_attached(event, names: Names) -> SafeString:
    return _say(
        _("A %(language)s file was attached to document %(document)s."),
        language=_language((event.data or {}).get("language")),
        document=names.document(event),
    )


@says("document.version_removed")
def _document_version_removed(event, names: Names) -> SafeString:
    return _say(
        _("The %(language)s version of document %(document)s was removed."),
        language=_language((event.data or {}).get("language")),
        document=names.document(event),
    )


@says("document.status")
def _document_status(event, names: Names) -> SafeString:
    from phases.enums import DocumentStatus

    status = (event.data or {}).get("status")
    return _say(
        _("Document %(document)s is now: %(status)s."),
        document=names.document(event),
        status=str(dict(DocumentStatus.choices).get(status, status)),
    )


@says("document.published")
def _document_published(event, names: Names) -> SafeString:
    return _say(_("Document %(document)s was published."), document=names.document(event))


# --- E-mail and reminders (the secretariat's operations) ---------------------------------


def _emails(event) -> int:
    ids = (event.data or {}).get("notification_ids") or []
    return len(ids) if isinstance(ids, list) else 1


@says("notification.retried")
def _notification_retried(event, names: Names) -> SafeString:
    n = _emails(event)
    return _say(
        ngettext(
            "The secretariat asked for %(n)s failed e-mail to be tried again.",
            "The secretariat asked for %(n)s failed e-mails to be tried again.",
            n,
        ),
        n=n,
    )


@says("notification.resent")
def _notification_resent(event, names: Names) -> SafeString:
    n = _emails(event)
    return _say(
        ngettext(
            "The secretariat sent %(n)s e-mail of uncertain delivery again.",
            "The secretariat sent %(n)s e-mails of uncertain delivery again.",
            n,
        ),
        n=n,
    )


@says("notification.dropped")
def _notification_dropped(event, names: Names) -> SafeString:
    n = _emails(event)
    return _say(
        ngettext(
            "The secretariat dropped %(n)s e-mail of uncertain delivery.",
            "The secretariat dropped %(n)s e-mails of uncertain delivery.",
            n,
        ),
        n=n,
    )


@says("notification.held_after_restore")
def _notification_held_after_restore(event, names: Names) -> SafeString:
    n = int((event.data or {}).get("count") or 0)
    return _say(
        ngettext(
            "After a restore from a backup, %(n)s e-mail that was waiting was held for the "
            "secretariat to send or drop.",
            "After a restore from a backup, %(n)s e-mails that were waiting were held for the "
            "secretariat to send or drop.",
            n,
        ),
        n=n,
    )


@says("notification.held_sent")
def _notification_held_sent(event, names: Names) -> SafeString:
    n = _emails(event)
    return _say(
        ngettext(
            "The secretariat sent %(n)s e-mail held after a restore.",
            "The secretariat sent %(n)s e-mails held after a restore.",
            n,
        ),
        n=n,
    )


@says("notification.held_dropped")
def _notification_held_dropped(event, names: Names) -> SafeString:
    n = _emails(event)
    return _say(
        ngettext(
            "The secretariat dropped %(n)s e-mail held after a restore.",
            "The secretariat dropped %(n)s e-mails held after a restore.",
            n,
        ),
        n=n,
    )


def _deadline_kind(event) -> str:
    from compact_process.deadlines.models import DeadlineKind

    kind = (event.data or {}).get("kind")
    return str(dict(DeadlineKind.choices).get(kind, kind or ""))


@says("reminder_schedule.set")
def _reminder_schedule_set(event, names: Names) -> SafeString:
    return _say(
        _("The secretariat changed when reminders are sent for: %(kind)s."),
        kind=_deadline_kind(event),
    )


@says("reminder_schedule.restored")
def _reminder_schedule_restored(event, names: Names) -> SafeString:
    return _say(
        _("The secretariat restored the default reminders for: %(kind)s."),
        kind=_deadline_kind(event),
    )


# --- Reading -----------------------------------------------------------------------------


def _generic(event) -> SafeString:
    """An action this module has no sentence for, in words rather than as its key."""
    words = str(event.action or "").replace(".", " ").replace("_", " ").strip()
    return _say(_("An event was recorded: %(what)s."), what=words or "—")


def describe(event, names: Names) -> SafeString:
    function = SENTENCES.get(event.action)
    if function is None:
        return _generic(event)
    try:
        return function(event, names)
    except (KeyError, TypeError, ValueError, AttributeError):
        log.warning("Audit event %s (%s) does not fit its sentence", event.pk, event.action)
        return _generic(event)


def sentences(events: Iterable) -> list[tuple[Any, SafeString]]:
    """Each event with its sentence, in the current language."""
    events = list(events)
    names = Names(events)
    return [(event, describe(event, names)) for event in events]


# --- The secretariat's deliverables, days and panels -----------------------------------


def _day(value: Any) -> str:
    """A day stored as ISO text, written out in the reader's language."""
    parsed = parse_date(value) if isinstance(value, str) else None
    return date_format(parsed) if parsed else str(value or "")


@says("deliverable.created")
def _deliverable_created(event, names: Names) -> SafeString:
    return _say(
        _("The deliverable %(deliverable)s was added, due on %(date)s."),
        deliverable=names.deliverable(event),
        date=_day((event.data or {}).get("due_on")),
    )


@says("deliverable.updated")
def _deliverable_updated(event, names: Names) -> SafeString:
    return _say(
        _("The details of the deliverable %(deliverable)s were changed."),
        deliverable=names.deliverable(event),
    )


@says("deliverable.moved")
def _deliverable_moved(event, names: Names) -> SafeString:
    data = event.data or {}
    n = data.get("reminders") or 0
    return _say(
        ngettext(
            "The due date of %(deliverable)s was moved from %(before)s to %(after)s; "
            "%(n)s reminder was planned from the new date.",
            "The due date of %(deliverable)s was moved from %(before)s to %(after)s; "
            "%(n)s reminders were planned from the new date.",
            n,
        ),
        deliverable=names.deliverable(event),
        before=_day(data.get("before")),
        after=_day(data.get("after")),
        n=n,
    )


@says("meeting_day.updated")
def _meeting_day_updated(event, names: Names) -> SafeString:
    data = event.data or {}
    return _say(
        _("A day of %(meeting)s was changed from %(before)s to %(date)s, %(starts)s–%(ends)s."),
        meeting=names.meeting(event),
        before=_day(data.get("before")),
        date=_day(data.get("date")),
        starts=data.get("starts_at", ""),
        ends=data.get("ends_at", ""),
    )


@says("panel.updated")
def _panel_updated(event, names: Names) -> SafeString:
    return _say(
        _("The panel %(panel)s of %(meeting)s was renamed."),
        panel=names.panel(event),
        meeting=names.meeting(event),
    )
