"""The real GCM process of 2017–2018 (MANDATE.md, "The real process"), loaded by
``manage.py seed_gcm``. Every change goes through ``phases.services``, so the
seed is held to the same mandate checks as any user. Running it again changes
nothing: each item has a stable key and existing items are left as they are.

Facts not found in public records are marked approximate and say so in their
``source_note``; they are shown to users as approximate.

The seed writes English; then it fills, in the other five official languages, every
translation column that is still empty (``phases.seed_translations``), so that a database
seeded before gets them, and a translation the secretariat has edited is kept.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from phases import deadlines, seed_translations, services
from phases.enums import (
    Appointer,
    AppointmentRole,
    DeliverableKind,
    MeetingKind,
    ResponsibleRole,
)
from phases.models import (
    Appointment,
    Deliverable,
    Meeting,
    MemberState,
    Panel,
    Phase,
    Process,
    Venue,
)
from phases.services import DaySpec

D = datetime.date
T = datetime.time
HALF = Decimal("0.5")

PROCESS = {
    "slug": "gcm",
    "title": "Global Compact for Safe, Orderly and Regular Migration",
    "mandate_ref": "A/RES/71/280",
    "adopted_on": D(2017, 4, 6),
    "description": (
        "The intergovernmental process that prepared the Global Compact for Safe, Orderly "
        "and Regular Migration: consultations, stocktaking and negotiations, 2017–2018, "
        "leading to the intergovernmental conference in Marrakech."
    ),
}

VENUES = [
    # slug, name, city, country, subdivision (holidays library), time zone, duty station
    ("geneva", "Palais des Nations", "Geneva", "CH", "GE", "Europe/Zurich", True),
    # New York: national holidays only; New York State's (Lincoln's Birthday, ...) do not
    # close United Nations Headquarters.
    ("new-york", "United Nations Headquarters", "New York", "US", "", "America/New_York", True),
    ("vienna", "Vienna International Centre", "Vienna", "AT", "9", "Europe/Vienna", True),
    (
        "puerto-vallarta",
        "Puerto Vallarta",
        "Puerto Vallarta",
        "MX",
        "",
        "America/Mexico_City",
        False,
    ),
    ("marrakech", "Marrakech", "Marrakech", "MA", "", "Africa/Casablanca", False),
]

PHASES = [
    (1, "Phase I: Consultations", D(2017, 4, 1), D(2017, 11, 30)),
    (2, "Phase II: Stocktaking", D(2017, 11, 1), D(2018, 1, 31)),
    (3, "Phase III: Intergovernmental negotiations", D(2018, 2, 1), D(2018, 7, 31)),
]


@dataclass
class PanelSeed:
    title: str
    moderators: list[tuple[str, str, str]] = field(default_factory=list)  # iso3, person, title
    letter: str = ""
    appointed_on: datetime.date | None = None


@dataclass
class SessionSeed:
    number: int
    slot: str
    venue: str
    days: list[datetime.date]
    title: str
    panels: list[PanelSeed]
    brief_on: datetime.date | None = None  # known date the issue brief was circulated
    brief_note: str = ""
    summary_on: datetime.date | None = None
    summary_note: str = ""
    dialogue_day: datetime.date | None = None  # known day of the stakeholder dialogue


VIENNA_LETTER = "Letter of the President of the General Assembly, 27 July 2017"

SESSIONS = [
    SessionSeed(
        1,
        "geneva-1",
        "geneva",
        [D(2017, 5, 8), D(2017, 5, 9)],
        "Human rights of all migrants, social inclusion, cohesion and all forms of discrimination",
        [
            PanelSeed(
                "Human rights of all migrants",
                [("MAR", "Omar Hilale", "Permanent Representative of Morocco")],
            ),
            PanelSeed("Social inclusion and cohesion"),
            PanelSeed("Third panel (title not recorded)"),
        ],
    ),
    SessionSeed(
        2,
        "new-york-2",
        "new-york",
        [D(2017, 5, 22), D(2017, 5, 23)],
        "Addressing drivers of migration, including adverse effects of climate change, natural "
        "disasters and human-made crises",
        [
            PanelSeed(
                "Sustainable development and poverty eradication",
                [
                    ("DZA", "Sabri Boukadoum", "Permanent Representative of Algeria"),
                    ("BRA", "Carlos Duarte", "Deputy Permanent Representative of Brazil"),
                ],
            ),
            PanelSeed("Human-made crises as drivers of migration"),
            PanelSeed(
                "Adverse effects of climate change and natural disasters as drivers of migration",
                [("TUV", "Aunese Makoi Simati", "Permanent Representative of Tuvalu")],
            ),
        ],
    ),
    SessionSeed(
        3,
        "geneva-3",
        "geneva",
        [D(2017, 6, 19), D(2017, 6, 20)],
        "International cooperation and governance of migration in all its dimensions",
        [
            PanelSeed(
                "International cooperation and governance of migration in all its dimensions",
                [("SWE", "Ola Henrikson", "Director General, Ministry of Justice of Sweden")],
            ),
            PanelSeed("Second panel (title not recorded)"),
            PanelSeed(
                "International cooperation and governance of migration on return, "
                "readmission, integration and reintegration"
            ),
        ],
        brief_on=D(2017, 6, 6),
        brief_note="Circulated with the procedural note on 6 June 2017 (IISD report).",
    ),
    SessionSeed(
        4,
        "new-york-1",
        "new-york",
        [D(2017, 7, 24), D(2017, 7, 25)],
        "Contributions of migrants and diasporas to all dimensions of sustainable development, "
        "including remittances and portability of earned benefits",
        [
            PanelSeed("First panel (title not recorded)"),
            PanelSeed("Second panel (title not recorded)"),
            PanelSeed("Third panel (title not recorded)"),
        ],
    ),
    SessionSeed(
        5,
        "vienna-1",
        "vienna",
        [D(2017, 9, 4), D(2017, 9, 5)],
        "Smuggling of migrants, trafficking in persons and contemporary forms of slavery",
        [
            PanelSeed(
                "Smuggling of migrants",
                [("ARG", "Rafael Mariano Grossi", "Ambassador of Argentina to Austria")],
                VIENNA_LETTER,
                D(2017, 7, 27),
            ),
            PanelSeed(
                "Trafficking in persons and contemporary forms of slavery",
                [
                    (
                        "AUT",
                        "Elisabeth Tichy-Fisslberger",
                        "Director-General for Legal and Consular Affairs, Austria",
                    ),
                    (
                        "AUS",
                        "Andrew Goledzinowski",
                        "Ambassador for People Smuggling and Human Trafficking, Australia",
                    ),
                ],
                VIENNA_LETTER,
                D(2017, 7, 27),
            ),
            PanelSeed(
                "Third panel (title not recorded)",
                [
                    (
                        "USA",
                        "Susan Coppedge",
                        "Ambassador-at-Large to Monitor and Combat "
                        "Trafficking in Persons, United States",
                    ),
                    (
                        "GBR",
                        "Leigh Turner",
                        "Permanent Representative of the United Kingdom in Vienna",
                    ),
                ],
                VIENNA_LETTER,
                D(2017, 7, 27),
            ),
        ],
        brief_on=D(2017, 7, 27),
        brief_note="Sent to Member States with the PGA's letter of 27 July 2017.",
        summary_on=D(2017, 10, 5),
        summary_note="Summary dated 5 October 2017, sent under a PGA letter of 9 October 2017.",
    ),
    SessionSeed(
        6,
        "geneva-2",
        "geneva",
        [D(2017, 10, 12), D(2017, 10, 13)],
        "Irregular migration and regular pathways, including decent work, labour mobility, "
        "recognition of skills and qualifications",
        [
            PanelSeed(
                "Irregular migration and regular pathways",
                [
                    ("DEU", "Antje Leendertse", "Permanent Representative of Germany in Geneva"),
                    ("TUN", "Walid Doudech", "Permanent Representative of Tunisia in Geneva"),
                ],
            ),
            PanelSeed("Decent work and labour mobility"),
            PanelSeed("Recognition of skills and qualifications and other relevant measures"),
        ],
        dialogue_day=D(2017, 10, 13),
    ),
]

ROUNDS = [
    (1, [D(2018, 2, 20), D(2018, 2, 22), D(2018, 2, 23)], 3),
    (2, [D(2018, 3, d) for d in range(12, 16)], 4),
    (3, [D(2018, 4, d) for d in range(3, 7)], 4),
    (4, [D(2018, 5, d) for d in range(14, 19)], 5),
    (5, [D(2018, 6, d) for d in range(4, 9)], 5),
    (6, [D(2018, 7, d) for d in range(9, 14)], 5),
]

HEARINGS = [
    # number, venue, date, portion, source note
    (
        1,
        "new-york",
        D(2017, 7, 26),
        Decimal(1),
        "Trusteeship Council Chamber; opened by PGA Thomson.",
    ),
    (
        2,
        "geneva",
        D(2017, 10, 11),
        Decimal(1),
        "Chaired by PGA Lajčák during his visit to Geneva (venue from the PGA's press release).",
    ),
    (
        3,
        "new-york",
        D(2017, 12, 18),
        HALF,
        "The third hearing; its date comes from the PGA's statement. Its length is not recorded: "
        "taken as half a day, so that the hearings total the four days of OP 30.",
    ),
    (4, "new-york", D(2018, 2, 21), Decimal(1), "Held between the days of the first round."),
    (5, "new-york", D(2018, 5, 21), HALF, "Half a day: the fifth and final hearing."),
]


def _ordinal_title(kind: str, number: int, extra: str = "") -> str:
    base = {
        MeetingKind.THEMATIC_SESSION: "Informal thematic session {n}",
        MeetingKind.STAKEHOLDER_DIALOGUE: "Informal dialogue with stakeholders before session {n}",
        MeetingKind.NEGOTIATION_ROUND: "Intergovernmental negotiations, round {n}",
        MeetingKind.HEARING: "Multi-stakeholder hearing {n}",
    }[kind].format(n=number)
    return f"{base}: {extra}" if extra else base


class Seeder:
    def __init__(self, out=None):
        self.created: list[str] = []
        self.out = out

    def _note(self, what: str) -> None:
        self.created.append(what)

    # -- each item created once ---------------------------------------------------
    def meeting(self, process: Process, key: str, **kwargs) -> Meeting:
        existing = Meeting.objects.filter(process=process, key=key).first()
        if existing:
            return existing
        self._note(f"meeting {key}")
        return services.create_meeting(process=process, key=key, **kwargs)

    def deliverable(
        self,
        process: Process,
        key: str,
        *,
        delivered_on=None,
        delivered_approximate=False,
        **kwargs,
    ) -> Deliverable:
        existing = Deliverable.objects.filter(process=process, key=key).first()
        if existing:
            return existing
        self._note(f"deliverable {key}")
        d = services.create_deliverable(process=process, key=key, **kwargs)
        if delivered_on:
            services.mark_delivered(
                deliverable=d, on=delivered_on, approximate=delivered_approximate
            )
        return d

    def run(self) -> Process:
        with transaction.atomic():
            process = Process.objects.filter(slug=PROCESS["slug"]).first()
            if process is None:
                self._note("process gcm")
                process = services.create_process(**PROCESS)
            # One guard around the whole batch: checked once, as a whole, before commit.
            with services.mandate_guard(process):
                self._run(process)
                self.translations(process)
        return process

    # -- the other official languages -------------------------------------------------
    def translations(self, process: Process) -> None:
        """Fill each empty translation column of what the seed wrote whose English is
        still the seed's (``phases.seed_translations``). A column that has a value is
        never overwritten, so a second run, or a run after the secretariat has edited a
        translation, changes nothing.

        Meetings change through ``services.update_meeting``, the service that edits
        them; no other service edits a title, a name or a theme, so the other rows are
        saved through the model (``save(update_fields=...)``). Either way the public
        pages' cache is invalidated by the usual signals. Run inside the seed's mandate
        guard, so the batch is still checked once (no mandate rule reads these texts)."""
        slugs = [slug for slug, *_rest in VENUES]
        items = [
            ("process", [process], ("title", "description")),
            ("phase", process.phases.order_by("number"), ("title", "description")),
            ("venue", Venue.objects.filter(slug__in=slugs).order_by("slug"), ("name", "city")),
            ("meeting", process.meetings.order_by("key"), ("title", "theme")),
            (
                "panel",
                Panel.objects.filter(meeting__process=process)
                .select_related("meeting")
                .order_by("meeting__key", "order"),
                ("title",),
            ),
            ("deliverable", process.deliverables.order_by("key"), ("title",)),
            ("draft", process.drafts.order_by("key"), ("title",)),
        ]
        for label, objects, fields in items:
            for obj in objects:
                missing = self._missing_translations(obj, fields)
                if not missing:
                    continue
                if isinstance(obj, Meeting):
                    services.update_meeting(meeting=obj, **missing)
                else:
                    for column, text in missing.items():
                        setattr(obj, column, text)
                    obj.save(update_fields=list(missing))
                    if isinstance(obj, Deliverable):  # its deadline shows the title
                        deadlines.sync(obj)
                self._note(f"translations of {label} {self._name(obj)}: {', '.join(missing)}")

    @staticmethod
    def _missing_translations(obj, fields: tuple[str, ...]) -> dict[str, str]:
        """The translation columns of ``fields`` that are empty and that the seed's
        texts can fill, with their text."""
        missing = {}
        for name in fields:
            english = getattr(obj, f"{name}_en") or ""
            for language, text in seed_translations.translations(english).items():
                column = f"{name}_{language}"
                if not getattr(obj, column):
                    missing[column] = text
        return missing

    @staticmethod
    def _name(obj) -> str:
        if isinstance(obj, Panel):
            return f"{obj.meeting.key}/{obj.order}"
        return str(
            getattr(obj, "key", "") or getattr(obj, "slug", "") or getattr(obj, "number", "")
        )

    def _run(self, process: Process) -> None:
        venues = {}
        for slug, name, city, country, subdiv, tz, duty in VENUES:
            venue = Venue.objects.filter(slug=slug).first()
            if venue is None:
                self._note(f"venue {slug}")
                venue = services.create_venue(
                    slug=slug,
                    name=name,
                    city=city,
                    country_code=country,
                    subdivision=subdiv,
                    timezone=tz,
                    is_duty_station=duty,
                )
            venues[slug] = venue
        phases = {}
        for number, title, start, end in PHASES:
            phase = Phase.objects.filter(process=process, number=number).first()
            if phase is None:
                self._note(f"phase {number}")
                phase = services.create_phase(
                    process=process, number=number, title=title, starts_on=start, ends_on=end
                )
            phases[number] = phase
        self.appointments(process)
        self.thematic_sessions(process, venues, phases[1])
        self.later_meetings(process, venues, phases)
        self.process_deliverables(process)
        self.demo_drafts(process)

    def demo_drafts(self, process: Process) -> None:
        """The zero draft and Rev.1 with their real dates, as short demonstration texts
        (not the real drafts; they say so)."""
        from phases.drafts.demo import seed_demo_drafts

        self.created.extend(seed_demo_drafts(process))

    def appointments(self, process: Process) -> None:
        states = {s.iso3: s for s in MemberState.objects.filter(iso3__in=["MEX", "CHE"])}
        people = [
            (
                AppointmentRole.CO_FACILITATOR,
                Appointer.PGA,
                "Juan José Gómez Camacho",
                "Permanent Representative of Mexico to the United Nations",
                states["MEX"],
                None,
                None,
                False,
                "Appointed by the President of the General Assembly (OP 5); the date "
                "of the appointing letter is not recorded here.",
            ),
            (
                AppointmentRole.CO_FACILITATOR,
                Appointer.PGA,
                "Jürg Lauber",
                "Permanent Representative of Switzerland to the United Nations",
                states["CHE"],
                None,
                None,
                False,
                "Appointed by the President of the General Assembly (OP 5); the date "
                "of the appointing letter is not recorded here.",
            ),
            (
                AppointmentRole.SG_OF_CONFERENCE,
                Appointer.SECRETARY_GENERAL,
                "Louise Arbour",
                "Special Representative of the Secretary-General for International Migration",
                None,
                D(2017, 3, 9),
                D(2018, 12, 11),
                True,
                "Focal point before phase I (OP 10); the role ends with the conference. "
                "Appointment date from the compiler's knowledge, not re-verified.",
            ),
        ]
        for role, by, name, title, state, on, ends, approx, note in people:
            if Appointment.objects.filter(process=process, role=role, person_name=name).exists():
                continue
            self._note(f"appointment {name}")
            services.appoint(
                process=process,
                role=role,
                appointed_by=by,
                person_name=name,
                person_title=title,
                member_state=state,
                appointed_on=on,
                ends_on=ends,
                date_approximate=approx,
                source_note=note,
            )

    def thematic_sessions(self, process: Process, venues: dict, phase: Phase) -> None:
        from phases.parameters import MandateParameters

        themes = {
            s.key: s.theme for s in MandateParameters.from_json(process.parameters).thematic_slots
        }
        isos = {iso for s in SESSIONS for p in s.panels for iso, _, _ in p.moderators}
        states = {s.iso3: s for s in MemberState.objects.filter(iso3__in=isos)}
        for s in SESSIONS:
            meeting = self.meeting(
                process,
                f"thematic-{s.number}",
                kind=MeetingKind.THEMATIC_SESSION,
                number=s.number,
                title=_ordinal_title(MeetingKind.THEMATIC_SESSION, s.number, s.title),
                theme=themes[s.slot],
                venue=venues[s.venue],
                phase=phase,
                mandate_slot=s.slot,
                days=[DaySpec(day) for day in s.days],
            )
            for order, p in enumerate(s.panels, start=1):
                panel = Panel.objects.filter(meeting=meeting, order=order).first()
                if panel is None:
                    self._note(f"panel {meeting.key}/{order}")
                    panel = services.add_panel(meeting=meeting, title=p.title, order=order)
                for iso, person, title in p.moderators:
                    if panel.moderators.filter(member_state__iso3=iso).exists():
                        continue
                    self._note(f"moderator {meeting.key}/{order}/{iso}")
                    services.appoint_moderator(
                        panel=panel,
                        member_state=states[iso],
                        person_name=person,
                        person_title=title,
                        appointed_on=p.appointed_on,
                        letter_reference=p.letter,
                    )
            # The 50-minute informal dialogue with stakeholders before each session.
            dialogue_day = s.dialogue_day or s.days[0]
            self.meeting(
                process,
                f"dialogue-{s.number}",
                kind=MeetingKind.STAKEHOLDER_DIALOGUE,
                number=s.number,
                title=_ordinal_title(MeetingKind.STAKEHOLDER_DIALOGUE, s.number),
                venue=venues[s.venue],
                phase=phase,
                interpretation=False,
                dates_approximate=s.dialogue_day is None,
                source_note=""
                if s.dialogue_day
                else "Held just before the session opened; the exact day is not recorded here.",
                days=[DaySpec(dialogue_day, T(9, 0), T(9, 50))],
            )
            # OP 18: an inter-agency issue brief before the session.
            self.deliverable(
                process,
                f"issue-brief-{s.number}",
                kind=DeliverableKind.ISSUE_BRIEF,
                title=f"Issue brief for informal thematic session {s.number}",
                meeting=meeting,
                responsible=ResponsibleRole.UN_SYSTEM,
                due_on=s.days[0] - datetime.timedelta(days=1),
                delivered_on=s.brief_on or s.days[0] - datetime.timedelta(days=14),
                delivered_approximate=s.brief_on is None,
                source_note=s.brief_note
                or "Circulated by the Secretary-General of the "
                "Conference under a covering letter; the date is not recorded here.",
            )
            # OP 21: the co-facilitators' summary.
            due = s.days[-1] + datetime.timedelta(days=30)
            self.deliverable(
                process,
                f"summary-{s.number}",
                kind=DeliverableKind.COFACILITATORS_SUMMARY,
                title=f"Co-facilitators' summary of informal thematic session {s.number}",
                meeting=meeting,
                responsible=ResponsibleRole.CO_FACILITATORS,
                due_on=due,
                due_approximate=True,
                delivered_on=s.summary_on or due,
                delivered_approximate=s.summary_on is None,
                source_note=s.summary_note
                or "Sent to all permanent representatives under a "
                "transmittal letter of the President of the General Assembly; the date is not "
                "recorded here.",
            )

    def later_meetings(self, process: Process, venues: dict, phases: dict) -> None:
        self.meeting(
            process,
            "stocktaking",
            kind=MeetingKind.STOCKTAKING,
            number=1,
            title="Preparatory stocktaking meeting",
            venue=venues["puerto-vallarta"],
            phase=phases[2],
            theme="Inputs not yet presented; analysis of the inputs received; means of "
            "implementation and a framework for follow-up and review (OP 23–24).",
            days=[DaySpec(D(2017, 12, d)) for d in (4, 5, 6)],
            source_note="Hosted and paid for by Mexico (OP 23).",
        )
        for number, days, mandated in ROUNDS:
            self.meeting(
                process,
                f"round-{number}",
                kind=MeetingKind.NEGOTIATION_ROUND,
                number=number,
                title=_ordinal_title(MeetingKind.NEGOTIATION_ROUND, number),
                venue=venues["new-york"],
                phase=phases[3],
                mandated_days=mandated,
                days=[DaySpec(day) for day in days],
            )
        for number, venue, day, portion, note in HEARINGS:
            self.meeting(
                process,
                f"hearing-{number}",
                kind=MeetingKind.HEARING,
                number=number,
                title=_ordinal_title(MeetingKind.HEARING, number),
                venue=venues[venue],
                days=[DaySpec(day, T(10, 0), T(13, 0) if portion == HALF else T(18, 0), portion)],
                source_note=note,
            )
        self.meeting(
            process,
            "conference",
            kind=MeetingKind.CONFERENCE,
            number=1,
            title="Intergovernmental Conference to Adopt the Global Compact for Safe, Orderly "
            "and Regular Migration",
            venue=venues["marrakech"],
            days=[DaySpec(D(2018, 12, 10)), DaySpec(D(2018, 12, 11))],
            source_note="OP 1: at Headquarters unless otherwise agreed; resolution 72/244 of "
            "24 December 2017 agreed on Morocco. 164 States adopted the compact; the General "
            "Assembly endorsed it on 19 December 2018 by 152 votes to 5, with 12 abstentions.",
        )

    def process_deliverables(self, process: Process) -> None:
        meetings = {m.key: m for m in Meeting.objects.filter(process=process)}
        items = [
            # key, kind, title, responsible, due, due approx, delivered, delivered approx,
            # symbol, meeting key, note
            (
                "work-plan",
                DeliverableKind.WORK_PLAN,
                "Work plan for the preparatory process",
                ResponsibleRole.SECRETARY_GENERAL,
                D(2017, 3, 31),
                False,
                D(2017, 3, 31),
                True,
                "",
                None,
                "OP 22: the Secretary-General, with IOM, by March 2017; the issue date is "
                "not recorded here.",
            ),
            (
                "stakeholder-list-preparatory",
                DeliverableKind.STAKEHOLDER_LIST,
                "Proposed list of stakeholders for the preparatory process (OP 6(b))",
                ResponsibleRole.PGA_OFFICE,
                D(2017, 4, 30),
                False,
                D(2017, 4, 30),
                True,
                "",
                None,
                "Applications 14 March–17 April 2017; approved organisations were invited to "
                "register by 8 May 2017. The submission date is not recorded here.",
            ),
            (
                "organizational-note",
                DeliverableKind.ORGANIZATIONAL_NOTE,
                "Note by the Secretary-General on the organizational arrangements of the "
                "conference",
                ResponsibleRole.SECRETARY_GENERAL,
                D(2018, 1, 31),
                False,
                D(2017, 11, 16),
                True,
                "",
                None,
                "OP 13: for decision by January 2018. The arrangements were agreed under silence "
                "on 16 November 2017 (A/72/L.9) and adopted as resolution 72/244 on 24 December "
                "2017; the note's own symbol and date are not recorded here.",
            ),
            (
                "sg-report",
                DeliverableKind.SG_REPORT,
                "Making migration work for all: report of the Secretary-General",
                ResponsibleRole.SECRETARY_GENERAL,
                D(2018, 1, 31),
                False,
                D(2017, 12, 12),
                False,
                "A/72/643",
                None,
                "OP 26: before phase III. Launched at the General Assembly on 11 January 2018.",
            ),
            (
                "chairs-summary",
                DeliverableKind.CHAIRS_SUMMARY,
                "Chair's summary of the preparatory stocktaking meeting",
                ResponsibleRole.CO_FACILITATORS,
                D(2017, 12, 31),
                True,
                D(2017, 12, 22),
                False,
                "",
                "stocktaking",
                "OP 25: the basis of the zero draft. Transmitted on "
                "22 December 2017 with the dates of the negotiation rounds.",
            ),
            (
                "zero-draft",
                DeliverableKind.ZERO_DRAFT,
                "Zero draft of the global compact",
                ResponsibleRole.CO_FACILITATORS,
                D(2018, 2, 9),
                True,
                D(2018, 2, 5),
                False,
                "",
                None,
                "OP 27: by early February 2018. Followed by the zero draft plus "
                "(5 March), Rev.1 (26 March), Rev.2 (28 May), Rev.3 (29 June) and the final text "
                "(11 July, agreed 13 July 2018).",
            ),
            (
                "hearing-summary-1",
                DeliverableKind.HEARING_SUMMARY,
                "Summary of the first multi-stakeholder hearing",
                ResponsibleRole.PGA_OFFICE,
                D(2017, 8, 31),
                True,
                D(2017, 8, 31),
                True,
                "",
                "hearing-1",
                "OP 30: the PGA's summary, an input to the negotiations; its date is not recorded "
                "here.",
            ),
            (
                "hearing-summary-4",
                DeliverableKind.HEARING_SUMMARY,
                "Summary of the fourth multi-stakeholder hearing",
                ResponsibleRole.PGA_OFFICE,
                D(2018, 3, 21),
                True,
                D(2018, 3, 21),
                True,
                "",
                "hearing-4",
                "OP 30: the PGA's summary, an input to the negotiations; its date is not recorded "
                "here.",
            ),
            (
                "stakeholder-list-conference",
                DeliverableKind.STAKEHOLDER_LIST,
                "Proposed list of stakeholders for the conference (OP 6(c))",
                ResponsibleRole.PGA_OFFICE,
                D(2018, 4, 30),
                False,
                D(2018, 4, 30),
                True,
                "",
                None,
                "The submission date is not recorded here.",
            ),
        ]
        for (
            key,
            kind,
            title,
            responsible,
            due,
            due_approx,
            delivered,
            delivered_approx,
            symbol,
            meeting_key,
            note,
        ) in items:
            self.deliverable(
                process,
                key,
                kind=kind,
                title=title,
                responsible=responsible,
                due_on=due,
                due_approximate=due_approx,
                delivered_on=delivered,
                delivered_approximate=delivered_approx,
                symbol=symbol,
                meeting=meetings.get(meeting_key) if meeting_key else None,
                source_note=note,
            )
        letters = [
            (
                "letter-issue-brief-5",
                "Letter of the President of the General Assembly "
                "transmitting the issue brief and the moderators of the Vienna session",
                D(2017, 7, 27),
                "issue-brief-5",
            ),
            (
                "letter-summary-5",
                "Letter of the President of the General Assembly transmitting "
                "the co-facilitators' summary of the Vienna session",
                D(2017, 10, 9),
                "summary-5",
            ),
            (
                "letter-chairs-summary",
                "Letter of the President of the General Assembly "
                "transmitting the chair's summary of the stocktaking meeting",
                D(2017, 12, 22),
                "chairs-summary",
            ),
        ]
        for key, title, on, carried in letters:
            letter = self.deliverable(
                process,
                key,
                kind=DeliverableKind.TRANSMITTAL_LETTER,
                title=title,
                responsible=ResponsibleRole.PGA_OFFICE,
                due_on=on,
                delivered_on=on,
            )
            Deliverable.objects.filter(
                process=process, key=carried, transmitted_by__isnull=True
            ).update(transmitted_by=letter)


def seed_gcm() -> tuple[Process, list[str]]:
    from phases.signals import process_seeded

    seeder = Seeder()
    process = seeder.run()
    # Other apps add their part of the real process (e.g. the accreditation window).
    for _receiver, created in process_seeded.send(sender=Seeder, process=process):
        seeder.created.extend(created or [])
    return process, seeder.created
