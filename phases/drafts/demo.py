"""The seed's demonstration drafts: a zero draft (5 February 2018) and Rev.1 (26 March
2018), with the real dates but short texts WRITTEN FOR THE DEMONSTRATION. They are not
the real GCM texts and are never presented as such (``is_demonstration``, ``source_note``).

Each paragraph carries a private identity ``label`` that is neither stored nor used by
``compare``: the same label in both drafts is the same paragraph, so the expected
comparison (unchanged, changed, added, removed) follows from the data itself
(``expected_changes``), and Rev.1 renumbers the way real revisions do.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from phases.enums import DraftPart, DraftStage

P = DraftPart


@dataclass(frozen=True)
class DemoParagraph:
    label: str  # identity across the two versions; NOT stored, NOT seen by compare
    part: str
    text: str


@dataclass(frozen=True)
class DemoDraft:
    key: str
    stage: str
    sequence: int
    title: str
    issued_on: datetime.date
    paragraphs: tuple[DemoParagraph, ...]

    def numbered(self) -> list[tuple[int, DemoParagraph]]:
        """Paragraphs are numbered straight through the text, as in the real drafts."""
        return list(enumerate(self.paragraphs, start=1))


SOURCE_NOTE = (
    # The pages put "Demonstration text." before it: the note does not say it again.
    "A short text written for this demonstration, not the real negotiation draft. Only the "
    "date (and the stage) are those of the real process; the co-facilitators held the pen."
)

ZERO = DemoDraft(
    key="zero-draft",
    stage=DraftStage.ZERO,
    # The real order: zero draft 0, zero draft plus 1, Rev.1 2, Rev.2 3, Rev.3 4, final 5.
    sequence=0,
    title="Zero draft (demonstration text)",
    issued_on=datetime.date(2018, 2, 5),
    paragraphs=(
        DemoParagraph(
            "pre-purpose",
            P.PREAMBLE,
            "We, the Heads of State and Government, meeting in Marrakech, affirm our shared "
            "wish to make migration safe, orderly and regular for all.",
        ),
        DemoParagraph(
            "pre-sovereignty",
            P.PREAMBLE,
            "This compact is a cooperative framework that is not legally binding and "
            "respects the sovereign right of States to set their own migration policies.",
        ),
        DemoParagraph(
            "pre-data-gap",
            P.PREAMBLE,
            "We note that reliable numbers on migrants are often missing, which makes good "
            "policy harder to design.",
        ),
        DemoParagraph(
            "pre-rights",
            P.PREAMBLE,
            "We recall that migrants are entitled to the same universal human rights as "
            "everyone else, whatever their status.",
        ),
        DemoParagraph(
            "com-data",
            P.COMMITMENTS,
            "We commit to collect and share accurate, comparable data on migration, broken "
            "down by sex and age, to inform policy.",
        ),
        DemoParagraph(
            "com-information",
            P.COMMITMENTS,
            "We commit to give migrants clear and timely information at every stage of "
            "their journey.",
        ),
        DemoParagraph(
            "com-identity",
            P.COMMITMENTS,
            "We commit to ensure that every migrant has proof of legal identity and "
            "adequate documentation.",
        ),
        DemoParagraph(
            "com-pathways",
            P.COMMITMENTS,
            "We commit to widen regular pathways for migration, including for work, study "
            "and family reunion.",
        ),
        DemoParagraph(
            "com-detention",
            P.COMMITMENTS,
            "We commit to use immigration detention only as a last resort and to seek "
            "alternatives.",
        ),
        DemoParagraph(
            "com-remittances",
            P.COMMITMENTS,
            "We commit to make remittances faster, safer and cheaper, and to promote the "
            "financial inclusion of migrants.",
        ),
        DemoParagraph(
            "com-return",
            P.COMMITMENTS,
            "We commit to cooperate on safe and dignified return and readmission, and on "
            "sustainable reintegration.",
        ),
        DemoParagraph(
            "moi-capacity",
            P.IMPLEMENTATION,
            "We will set up a capacity-building mechanism to help States carry out this compact.",
        ),
        DemoParagraph(
            "moi-partnerships",
            P.IMPLEMENTATION,
            "We will work with all relevant partners, including local authorities, civil "
            "society, the private sector and migrants themselves.",
        ),
        DemoParagraph(
            "moi-un-system",
            P.IMPLEMENTATION,
            "We ask the United Nations system to support Member States in their efforts, "
            "within existing resources.",
        ),
        DemoParagraph(
            "fur-forum",
            P.FOLLOW_UP,
            "We decide that an international review forum will meet every four years, "
            "starting in 2022.",
        ),
        DemoParagraph(
            "fur-regional",
            P.FOLLOW_UP,
            "We invite regional processes to review progress in their own regions and to "
            "report to the forum.",
        ),
        DemoParagraph(
            "fur-report",
            P.FOLLOW_UP,
            "We request the Secretary-General to report every two years on the progress made.",
        ),
    ),
)

_same = {p.label: p for p in ZERO.paragraphs}

REV1 = DemoDraft(
    key="rev-1",
    stage=DraftStage.REVISION,
    sequence=2,
    title="Revision 1 (demonstration text)",
    issued_on=datetime.date(2018, 3, 26),
    paragraphs=(
        _same["pre-purpose"],
        DemoParagraph(
            "pre-sovereignty",
            P.PREAMBLE,
            "This compact is a cooperative framework that is not legally binding and fully "
            "respects the sovereign right of States to determine their national migration "
            "policies.",
        ),
        _same["pre-rights"],
        DemoParagraph(
            "pre-shared-responsibility",
            P.PREAMBLE,
            "No country can address this phenomenon alone; the compact rests on shared "
            "responsibility and international cooperation.",
        ),
        _same["com-data"],
        _same["com-information"],
        _same["com-identity"],
        DemoParagraph(
            "com-pathways",
            P.COMMITMENTS,
            "We commit to enhance and diversify regular pathways for migration, including "
            "for decent work, education and family reunification.",
        ),
        DemoParagraph(
            "com-detention",
            P.COMMITMENTS,
            "We commit to use immigration detention only as a measure of last resort, for "
            "the shortest possible time, and to work towards alternatives.",
        ),
        DemoParagraph(
            "com-smuggling",
            P.COMMITMENTS,
            "We commit to strengthen the joint response to the smuggling of migrants, while "
            "protecting those who have been smuggled.",
        ),
        _same["com-remittances"],
        _same["com-return"],
        DemoParagraph(
            "moi-capacity",
            P.IMPLEMENTATION,
            "We will establish a capacity-building mechanism, with a start-up fund, to help "
            "States carry out this compact.",
        ),
        _same["moi-partnerships"],
        DemoParagraph(
            "fur-forum",
            P.FOLLOW_UP,
            "We decide that an international migration review forum will meet every four "
            "years, beginning in 2022, as the main global platform to share progress.",
        ),
        _same["fur-regional"],
        _same["fur-report"],
        DemoParagraph(
            "fur-national-plans",
            P.FOLLOW_UP,
            "We encourage each State to prepare a national plan of its own, drawn up with "
            "all stakeholders taking part.",
        ),
    ),
)

DEMO_DRAFTS = (ZERO, REV1)


def expected_changes(old: DemoDraft, new: DemoDraft) -> dict[str, set[tuple]]:
    """What comparing ``old`` with ``new`` must find, from the labels: ``unchanged`` and
    ``changed`` as (old number, new number), ``removed`` as old numbers, ``added`` as new
    numbers."""
    before = {p.label: (n, p) for n, p in old.numbered()}
    after = {p.label: (n, p) for n, p in new.numbered()}
    result: dict[str, set[tuple]] = {"unchanged": set(), "changed": set()}
    for label, (n_old, p_old) in before.items():
        if label in after:
            n_new, p_new = after[label]
            kind = "unchanged" if p_old.text == p_new.text else "changed"
            result[kind].add((n_old, n_new))
    result["removed"] = {n for label, (n, _p) in before.items() if label not in after}
    result["added"] = {n for label, (n, _p) in after.items() if label not in before}
    return result


def seed_demo_drafts(process) -> list[str]:
    """Create the demonstration drafts once (through the service); a second run changes
    nothing. Returns what was created, for the seed's report."""
    from phases.drafts import services
    from phases.models import NegotiationDraft

    created = []
    for demo in DEMO_DRAFTS:
        if NegotiationDraft.objects.filter(process=process, key=demo.key).exists():
            continue
        services.create_draft(
            process=process,
            key=demo.key,
            stage=demo.stage,
            sequence=demo.sequence,
            title=demo.title,
            issued_on=demo.issued_on,
            paragraphs=[
                services.ParagraphSpec(part=p.part, number=n, text=p.text)
                for n, p in demo.numbered()
            ],
            is_demonstration=True,
            source_note=SOURCE_NOTE,
        )
        created.append(f"draft {demo.key}")
    return created
