"""Negotiation drafts (issue 6): the seeded demonstration zero draft and Rev.1, the
paragraph-by-paragraph comparison, the public pages, the PDFs and the paste-a-draft page."""

from __future__ import annotations

import datetime
import io
import time

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from phases.drafts import demo, services
from phases.drafts.compare import Para, compare, compare_paragraphs
from phases.drafts.forms import parse_draft
from phases.drafts.services import ParagraphSpec
from phases.enums import DraftPart, DraftStage
from phases.models import NegotiationDraft
from phases.seed import seed_gcm
from tests.pages import client_for

pytestmark = pytest.mark.django_db

PRE, COM, MOI, FUR = (
    DraftPart.PREAMBLE,
    DraftPart.COMMITMENTS,
    DraftPart.IMPLEMENTATION,
    DraftPart.FOLLOW_UP,
)


def _draft(process, key):
    return NegotiationDraft.objects.get(process=process, key=key)


def _found(result):
    return {
        "unchanged": {(r.old.number, r.new.number) for r in result.of_kind("unchanged")},
        "changed": {(r.old.number, r.new.number) for r in result.of_kind("changed")},
        "removed": {r.old.number for r in result.of_kind("removed")},
        "added": {r.new.number for r in result.of_kind("added")},
    }


# --- The seed ---------------------------------------------------------------------------


def test_seed_has_the_demonstration_zero_draft_and_rev1_with_the_real_dates(gcm):
    zero, rev1 = _draft(gcm, "zero-draft"), _draft(gcm, "rev-1")
    assert zero.issued_on == datetime.date(2018, 2, 5)
    assert rev1.issued_on == datetime.date(2018, 3, 26)
    assert zero.stage == DraftStage.ZERO and rev1.stage == DraftStage.REVISION
    assert zero.is_demonstration and rev1.is_demonstration
    assert "demonstration" in zero.source_note.lower()
    assert zero.paragraphs.count() == len(demo.ZERO.paragraphs)
    assert list(rev1.paragraphs.values_list("number", flat=True)) == list(
        range(1, len(demo.REV1.paragraphs) + 1)
    )
    assert {p.part for p in rev1.paragraphs.all()} == set(DraftPart.values)


def test_seeding_again_adds_no_draft(gcm):
    before = list(NegotiationDraft.objects.values_list("key", "paragraphs__text"))
    _process, created = seed_gcm()
    assert not [c for c in created if c.startswith("draft")]
    assert list(NegotiationDraft.objects.values_list("key", "paragraphs__text")) == before


def test_the_demo_revision_exercises_every_kind_of_change():
    expected = demo.expected_changes(demo.ZERO, demo.REV1)
    assert len(expected["changed"]) >= 3
    assert 2 <= len(expected["added"]) <= 3
    assert 1 <= len(expected["removed"]) <= 2
    # Renumbered: some unchanged paragraph has another number in Rev.1.
    assert any(a != b for a, b in expected["unchanged"])


# --- Comparison ---------------------------------------------------------------------


def test_comparing_the_seeded_drafts_lists_exactly_the_declared_changes(gcm):
    result = compare(_draft(gcm, "zero-draft"), _draft(gcm, "rev-1"))
    assert _found(result) == demo.expected_changes(demo.ZERO, demo.REV1)
    counts = result.counts
    assert counts["changed"] == len(demo.expected_changes(demo.ZERO, demo.REV1)["changed"])


def test_a_changed_paragraph_carries_its_word_level_difference(gcm):
    result = compare(_draft(gcm, "zero-draft"), _draft(gcm, "rev-1"))
    row = next(r for r in result.of_kind("changed") if "sovereign" in r.old.text)
    deleted = {t.strip() for op, t in row.tokens if op == "delete"}
    inserted = {t.strip() for op, t in row.tokens if op == "insert"}
    assert {"set", "own"} <= deleted
    assert {"fully", "determine", "national"} <= inserted
    assert "".join(t for op, t in row.tokens if op != "insert") == row.old.text
    assert "".join(t for op, t in row.tokens if op != "delete") == row.new.text


def test_renumbering_alone_is_no_change():
    old = [Para(PRE, 1, "Alpha beta."), Para(COM, 2, "Gamma delta."), Para(COM, 3, "Eps.")]
    new = [Para(PRE, 4, "Alpha beta."), Para(COM, 7, "Gamma  delta."), Para(COM, 9, "Eps.")]
    result = compare_paragraphs(old, new)
    assert result.counts == {"changed": 0, "added": 0, "removed": 0, "unchanged": 3}
    assert _found(result)["unchanged"] == {(1, 4), (2, 7), (3, 9)}


def test_a_paragraph_moved_to_another_part_shows_as_removed_and_added_naming_each_other():
    moving = "We will review the compact every four years in a global forum."
    old = [Para(COM, 1, "We commit to share data."), Para(COM, 2, moving)]
    new = [Para(COM, 1, "We commit to share data."), Para(FUR, 2, "Other."), Para(FUR, 3, moving)]
    result = compare_paragraphs(old, new)
    (removed,) = result.of_kind("removed")
    added = [r for r in result.of_kind("added") if r.new.text == moving]
    assert removed.old.number == 2 and removed.moved.number == 3 and removed.moved.part == FUR
    assert added[0].moved.number == 2
    assert [p.part for p in result.parts] == [COM, FUR]


def test_comparing_with_an_empty_draft_lists_every_paragraph_as_added():
    new = [Para(PRE, 1, "One."), Para(MOI, 2, "Two.")]
    assert compare_paragraphs([], new).counts == {
        "changed": 0,
        "added": 2,
        "removed": 0,
        "unchanged": 0,
    }
    assert compare_paragraphs([], []).parts == []
    assert compare_paragraphs(new, []).counts["removed"] == 2


def test_dissimilar_paragraphs_are_not_paired_as_changed():
    old = [Para(COM, 1, "We commit to make remittances cheaper.")]
    new = [Para(COM, 1, "Detention is a measure of last resort, for the shortest time.")]
    assert _found(compare_paragraphs(old, new)) == {
        "unchanged": set(),
        "changed": set(),
        "removed": {1},
        "added": {1},
    }


def _big_text(n: int, edit: bool) -> list[Para]:
    words = ["migration", "data", "pathways", "return", "detention", "identity", "fees", "help"]
    out = []
    for i in range(n):
        text = " ".join(f"{words[(i + k) % len(words)]}{i}" for k in range(40))
        if edit:
            text = text.replace(f"{words[i % len(words)]}{i}", "changed", 1) + " added words"
        out.append(Para(COM, i + 1, text))
    return out


def _timed(n: int) -> float:
    old, new = _big_text(n, False), _big_text(n, True)
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        result = compare_paragraphs(old, new)
        best = min(best, time.perf_counter() - start)
    assert result.counts["changed"] == n
    return best


def test_comparison_of_long_texts_is_fast_and_grows_about_linearly():
    small, large = _timed(200), _timed(800)
    assert small < 2.0
    # Four times the paragraphs: quadratic pairing would cost sixteen times as much.
    assert large < 9 * small + 0.05


# --- Public pages -------------------------------------------------------------------


def test_list_page_shows_each_draft_with_date_stage_and_paragraphs(client, gcm):
    html = client.get(reverse("drafts:list")).content.decode()
    assert "5 February 2018" in html and "26 March 2018" in html
    assert reverse("drafts:detail", args=["rev-1"]) in html
    assert f"<td>{len(demo.REV1.paragraphs)}</td>" in html
    # The picker defaults to the last two drafts.
    assert '<option value="zero-draft" selected>' in html
    assert '<option value="rev-1" selected>' in html


def test_detail_page_shows_the_text_by_part_with_numbers_and_a_pdf_link(client, gcm):
    html = client.get(reverse("drafts:detail", args=["rev-1"])).content.decode()
    assert "Means of implementation" in html
    assert 'id="p18"' in html and demo.REV1.paragraphs[-1].text in html
    assert reverse("pdf:file", args=["draft:rev-1:en"]) in html
    assert "Demonstration text" in html
    assert "fallback-note" not in html and 'lang="en"' not in html.split("<main", 1)[1]


def test_paragraphs_in_english_on_an_arabic_page_say_so_and_carry_their_language(client, gcm):
    import re

    from django.utils import translation

    from phases.models import DraftParagraph

    draft_paragraphs = DraftParagraph.objects.filter(draft__key="rev-1").order_by("number")
    first = draft_paragraphs.first()
    DraftParagraph.objects.filter(pk=first.pk).update(text_ar="نص الفقرة الأولى بالعربية")
    with translation.override("ar"):
        url = reverse("drafts:detail", args=["rev-1"])
    html = client.get(url).content.decode()
    assert '<p class="fallback-note">' in html
    texts = re.findall(r'<li id="p(\d+)">.*?<span class="para-text"([^>]*)>', html, re.S)
    assert texts[0] == (str(first.number), "")  # in Arabic: the page's language
    assert all(attrs == ' lang="en" dir="ltr"' for _number, attrs in texts[1:])


def test_compare_page_shows_side_by_side_with_ins_del_and_the_counts(client, gcm):
    response = client.get(reverse("drafts:compare") + "?from=zero-draft&to=rev-1")
    assert response.status_code == 200
    html = response.content.decode()
    expected = demo.expected_changes(demo.ZERO, demo.REV1)
    assert f"Changed: <strong>{len(expected['changed'])}</strong>" in html
    assert f"Added: <strong>{len(expected['added'])}</strong>" in html
    assert f"Removed: <strong>{len(expected['removed'])}</strong>" in html
    assert '<del><span class="visually-hidden">deleted: </span>set</del>' in html
    assert '<ins><span class="visually-hidden">inserted: </span>determine</ins>' in html
    # Numbers of both versions: the rights paragraph was 4 and is 3.
    assert "Zero draft (demonstration text), paragraph 4" in html
    assert "Revision 1 (demonstration text), paragraph 3" in html
    assert reverse("pdf:file", args=["draft-compare:zero-draft:rev-1:en"]) in html


def test_compare_page_can_show_only_the_changes(client, gcm):
    url = reverse("drafts:compare") + "?from=zero-draft&to=rev-1"
    everything = client.get(url).content.decode()
    changes = client.get(url + "&show=changes").content.decode()
    assert "cmp-row--unchanged" in everything
    assert "cmp-row--unchanged" not in changes
    assert changes.count("cmp-row--changed") == everything.count("cmp-row--changed") > 0


@pytest.mark.parametrize(
    "query, status, says",
    [
        ("", 400, "Choose two drafts"),
        ("?from=zero-draft", 400, "Choose two drafts"),
        ("?from=rev-1&to=rev-1", 400, "two different drafts"),
        ("?from=zero-draft&to=rev-99", 404, None),
        ("?from=../etc&to=rev-1", 404, None),
    ],
)
def test_compare_page_answers_bad_parameters_with_a_clear_status(client, gcm, query, status, says):
    response = client.get(reverse("drafts:compare") + query)
    assert response.status_code == status
    if says:
        assert says in response.content.decode()


def test_unknown_draft_is_not_found(client, gcm):
    assert client.get(reverse("drafts:detail", args=["no-such"])).status_code == 404


# --- PDFs ---------------------------------------------------------------------------


def _pdf_text(key: str) -> tuple[pypdf.PdfReader, str]:
    from compact_process.pdf.services import render_now
    from compact_process.pdf.sources import load

    row = render_now(load(key))
    assert row.status == "ready", row.error
    with row.file.open("rb") as f:
        reader = pypdf.PdfReader(io.BytesIO(f.read()))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_comparison_pdf_names_the_changed_paragraphs_and_the_inserted_words(gcm):
    reader, text = _pdf_text("draft-compare:zero-draft:rev-1:en")
    flat = " ".join(text.split())
    assert "compared with" in reader.metadata.title
    assert "inserted" in flat and "deleted" in flat
    assert "determine" in flat and "start-up fund" in flat
    for old_number, new_number in demo.expected_changes(demo.ZERO, demo.REV1)["changed"]:
        assert f"{old_number}." in flat and f"{new_number}." in flat


def test_draft_pdf_has_the_numbered_paragraphs_by_part(gcm):
    reader, text = _pdf_text("draft:rev-1:fr")
    flat = " ".join(text.split())
    # The seeded title is translated; the demonstration paragraphs stay in English.
    assert reader.metadata.title == "Révision 1 (texte de démonstration)"
    assert "18. We encourage each State" in flat
    assert "Commitments" in flat or "Engagements" in flat


def test_pdf_keys_with_an_unknown_language_or_draft_are_refused(gcm):
    from compact_process.pdf.sources import UnknownSource, load

    with pytest.raises(UnknownSource):
        load("draft:rev-1:xx")
    assert not load("draft:no-such:en").exists()
    assert not load("draft-compare:rev-1:rev-1:en").exists()


# --- Entering a draft -------------------------------------------------------------

PASTED = """I. Preamble
1. We, the States, meet again.
# Commitments
2. We commit to share data on migration.
3. We commit to widen regular pathways,
   including for work and study.
Moyens de mise en œuvre
4. We will set up a fund.
الديباجة
"""


def test_parser_reads_headings_in_any_language_and_continued_lines():
    parsed = parse_draft(PASTED.replace("الديباجة\n", "Suivi et examen\n5. We will meet.\n"))
    assert parsed.errors == []
    assert [(p.part, p.number) for p in parsed.paragraphs] == [
        (PRE, 1),
        (COM, 2),
        (COM, 3),
        (MOI, 4),
        (FUR, 5),
    ]
    assert parsed.paragraphs[2].text.endswith("including for work and study.")


def test_parser_reports_problems_with_their_line_numbers():
    parsed = parse_draft("1. Before any heading.\n# Preamble\n2. Two.\n2. Two again.\n# Nonsense\n")
    lines = {line for line, _message in parsed.errors}
    assert lines == {1, 4, 5}


def _post(client, **overrides):
    data = {
        "stage": DraftStage.REVISION,
        "title": "Revision 2 (test)",
        "issued_on": "2018-05-28",
        "key": "rev-2",
        "text": PASTED.replace("الديباجة\n", ""),
        "source_note": "",
        "action": "preview",
    }
    data.update(overrides)
    return client.post(reverse("secretariat:draft-create"), data)


def test_paste_page_previews_what_it_understood_without_saving(gcm):
    client = client_for("co_facilitator")
    assert client.get(reverse("secretariat:draft-create")).status_code == 200
    response = _post(client)
    html = response.content.decode()
    assert response.status_code == 200
    assert "4 paragraphs" in html and "Means of implementation" in html
    assert 'value="save"' in html
    assert not NegotiationDraft.objects.filter(key="rev-2").exists()


def test_paste_page_refuses_a_bad_numbering_with_the_line_and_keeps_the_text(gcm):
    client = client_for("secretariat")
    text = "# Preamble\n1. One.\n3. Three.\n2. Two.\n"
    response = _post(client, text=text, action="save")
    html = response.content.decode()
    assert response.status_code == 422
    assert "Line 4" in html and "numbers must increase" in html
    assert "3. Three." in html  # nothing lost
    assert not NegotiationDraft.objects.filter(key="rev-2").exists()


def test_paste_page_saves_the_draft_and_it_compares_with_rev1(gcm):
    client = client_for("co_facilitator")
    response = _post(client, action="save")
    assert response.status_code == 302
    assert response["Location"] == reverse("drafts:detail", args=["rev-2"])
    draft = _draft(gcm, "rev-2")
    assert draft.sequence > _draft(gcm, "rev-1").sequence
    assert list(draft.paragraphs.values_list("number", "part")) == [
        (1, PRE),
        (2, COM),
        (3, COM),
        (4, MOI),
    ]
    page = client_for(None).get(reverse("drafts:compare") + "?from=rev-1&to=rev-2")
    assert page.status_code == 200


def test_paste_page_is_only_for_the_pen_holders(gcm):
    assert client_for("delegate").get(reverse("secretariat:draft-create")).status_code == 403
    anonymous = client_for(None).get(reverse("secretariat:draft-create"))
    assert anonymous.status_code == 302


def test_service_refuses_a_future_date_and_a_revision_before_the_zero_draft(gcm):
    paragraphs = [ParagraphSpec(part=PRE, number=1, text="One.")]
    for issued_on in (
        datetime.date.today() + datetime.timedelta(days=2),
        datetime.date(2018, 1, 2),
    ):
        with pytest.raises(ValidationError) as refused:
            services.create_draft(
                process=gcm,
                stage=DraftStage.REVISION,
                title="Bad date",
                issued_on=issued_on,
                paragraphs=paragraphs,
            )
        assert "issued_on" in refused.value.error_dict
    assert not NegotiationDraft.objects.filter(title_en="Bad date").exists()


def test_a_draft_dated_between_two_others_takes_its_place_in_the_order(gcm):
    plus = services.create_draft(
        process=gcm,
        stage=DraftStage.ZERO_PLUS,
        title="Zero draft plus (test)",
        issued_on=datetime.date(2018, 3, 5),
        paragraphs=[ParagraphSpec(part=PRE, number=1, text="One.")],
    )
    order = list(NegotiationDraft.objects.filter(process=gcm).values_list("key", flat=True))
    assert order == ["zero-draft", plus.key, "rev-1"]


# --- The accessibility registry (tests/pages.py) --------------------------------------


def registry_url(process, which: str) -> str:
    """Each drafts page's URL from the seeded data: list, detail, compare,
    compare-changes, secretariat-create."""
    from django.utils import translation

    with translation.override("en"):
        compare_url = reverse("drafts:compare") + "?from=zero-draft&to=rev-1"
        return {
            "list": lambda: reverse("drafts:list"),
            "detail": lambda: reverse("drafts:detail", args=["rev-1"]),
            "compare": lambda: compare_url,
            "compare-changes": lambda: compare_url + "&show=changes",
            "secretariat-create": lambda: reverse("secretariat:draft-create"),
        }[which]()


@pytest.mark.parametrize(
    "which, role",
    [
        ("list", None),
        ("detail", None),
        ("compare", None),
        ("compare-changes", None),
        ("secretariat-create", "secretariat"),
    ],
)
def test_registry_urls_answer(gcm, which, role):
    assert client_for(role).get(registry_url(gcm, which)).status_code == 200


# --- In a real browser: side by side at a desk, stacked on a phone ------------------------

PHONE = {"width": 390, "height": 844}
_BOXES = """() => {
  const row = document.querySelector('.cmp-row--changed');
  const [a, b] = [row.querySelector('.cmp-old'), row.querySelector('.cmp-new')]
    .map(e => e.getBoundingClientRect());
  return {oldTop: a.top, oldBottom: a.bottom, newTop: b.top, oldLeft: a.left, newLeft: b.left,
          width: document.documentElement.scrollWidth};
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_comparison_is_side_by_side_at_a_desk_and_stacked_on_a_phone(live_server, gcm, browser):
    from tests.test_secretariat_browser import serious_accessibility_violations

    url = live_server.url + registry_url(gcm, "compare")
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = desk.new_page()
        page.goto(url)
        boxes = page.evaluate(_BOXES)
        assert abs(boxes["oldTop"] - boxes["newTop"]) < 1
        assert boxes["oldLeft"] != boxes["newLeft"]
        assert serious_accessibility_violations(page) == []

        page = phone.new_page()
        page.goto(url)
        boxes = page.evaluate(_BOXES)
        assert boxes["newTop"] >= boxes["oldBottom"] - 1  # stacked: earlier text first
        assert boxes["width"] <= PHONE["width"]
        assert serious_accessibility_violations(page) == []
        # The filter is a plain link: keyboard users reach it like any other.
        expected = demo.expected_changes(demo.ZERO, demo.REV1)
        changes = sum(len(expected[kind]) for kind in ("changed", "added", "removed"))
        page.get_by_role("link", name=f"Only the changes ({changes})").click()
        page.wait_for_load_state()
        assert page.locator(".cmp-row--unchanged").count() == 0
    finally:
        desk.close()
        phone.close()


def test_arabic_pdfs_are_right_to_left_and_render(gcm):
    from compact_process.pdf.services import render_now
    from compact_process.pdf.sources import load

    for key in ("draft:rev-1:ar", "draft-compare:zero-draft:rev-1:ar"):
        source = load(key)
        html = source.render_html()
        assert 'dir="rtl"' in html and 'lang="ar"' in html
        row = render_now(source)
        assert row.status == "ready", row.error
        with row.file.open("rb") as f:
            reader = pypdf.PdfReader(io.BytesIO(f.read()))
        fonts = set()
        for page in reader.pages:
            for font in (page["/Resources"].get("/Font") or {}).values():
                fonts.add(str(font.get_object().get("/BaseFont")))
        assert any("Arab" in name or "Naskh" in name for name in fonts), fonts


def test_arabic_compare_page_renders(client, gcm):
    from django.utils import translation

    with translation.override("ar"):
        url = reverse("drafts:compare") + "?from=zero-draft&to=rev-1"
    response = client.get(url)
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


@pytest.mark.parametrize("language", ["en", "fr", "ar", "zh-hans"])
def test_the_list_says_demonstration_text_once_per_draft(client, gcm, language):
    """The seeded titles say it already ("Zero draft (demonstration text)"): the list
    adds no second "(demonstration text)" after them (issue 17)."""
    from django.utils import translation

    with translation.override(language):
        url = reverse("drafts:list")
        flag = translation.gettext("demonstration text")
    table = client.get(url).content.decode().split("<table")[1].split("</table>")[0]
    drafts = NegotiationDraft.objects.filter(is_demonstration=True)
    assert drafts.count() == 2
    assert table.count(flag) == drafts.count(), flag
