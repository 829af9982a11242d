"""The stakeholder lists as PDF (issue 6; resolution 71/280, footnote 5): the proposed
list, the final list and the comparison, built from the review data through the real
services, rendered and read back with pypdf. The PDFs hold what the public page shows:
organizations, outcomes and counts, never an objecting State or a person."""

from __future__ import annotations

import datetime
import io
import re

import pypdf
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import translation

from compact_process.pdf import sources
from phases.models import MemberState
from stakeholders import pdfs, services
from stakeholders.enums import ApplicationState, Channel, Gender
from stakeholders.models import Application, ListEntry, Organization, Representative
from stakeholders.services import CLOSE_GRACE
from tests.people import delegate, person

User = get_user_model()
UTC = datetime.UTC
OPENED = datetime.datetime(2030, 4, 1, 12, 0, tzinfo=UTC)
DEADLINE = datetime.datetime(2030, 4, 20, 23, 59, 59, tzinfo=UTC)
DURING = DEADLINE - datetime.timedelta(days=2)
AFTER = DEADLINE + CLOSE_GRACE

# The objecting States (Mexico, Germany) are no organization's country: their names must
# not appear in a public PDF at all.
CHINESE = "北京移民服务中心"
CYRILLIC = "Центр поддержки мигрантов"
ARABIC = "شبكة دعم المهاجرين"
ORGANIZATIONS = [
    # name, Latin name, country, objected to by Mexico
    (CHINESE, "Beijing Migrant Service Centre", "CHN", True),
    (CYRILLIC, "Migrant Support Centre", "RUS", False),
    ("Kenya Migrant Network", "", "KEN", True),
    (ARABIC, "Migrant Support Network", "EGY", False),
    ("Red de Migrantes", "", "BRA", False),
]


@pytest.fixture(autouse=True)
def _render_in_a_temporary_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def state(iso3: str) -> MemberState:
    return MemberState.objects.get(iso3=iso3)


def submitted_list(process, *, submit: bool = True):
    """The organizations above, through the real services: applied, screened in, put on
    a list, submitted for review with DEADLINE."""
    office = person("office", "pga_office")
    with time_machine.travel(OPENED, tick=False):
        lst = services.create_list(
            process=process, purpose="preparatory", title="Preparatory list", actor=office
        )
        for i, (name, latin, iso3, _objected) in enumerate(ORGANIZATIONS):
            org = Organization.objects.create(
                name=name,
                name_latin=latin,
                kind="ngo",
                country=state(iso3),
                email=f"org{i}@example.org",
            )
            application = services.submit_application(
                process=process,
                organization=org,
                channel=Channel.SPECIAL,
                activities="Support to migrants",
                representatives=[("Representative Persona", Gender.WOMAN)],
            )
            services.screen_application(
                application=application, state=ApplicationState.SCREENED_IN, actor=office
            )
            services.add_entry(stakeholder_list=lst, application=application, actor=office)
        if submit:
            services.submit_list(stakeholder_list=lst, deadline=DEADLINE, actor=office)
    lst.refresh_from_db()
    return lst


@pytest.fixture
def under_review(gcm):
    """The list under review: Mexico objects to two entries; Germany objects to another
    and withdraws before the deadline (that entry stays on the final list)."""
    lst = submitted_list(gcm)
    mexico = delegate("mx", "MEX")
    germany = delegate("de", "DEU")
    entries = {e.application.organization.name: e for e in lst.entries.all()}
    with time_machine.travel(DURING, tick=False):
        for name, _latin, _iso3, objected in ORGANIZATIONS:
            if objected:
                services.lodge_objection(
                    entry=entries[name],
                    member_state=state("MEX"),
                    user=mexico,
                    basis="A confidential basis",
                    disclose_identity=True,
                )
        withdrawn = services.lodge_objection(
            entry=entries[CYRILLIC], member_state=state("DEU"), user=germany
        )
        services.withdraw_objection(objection=withdrawn, user=germany)
    return lst


@pytest.fixture
def closed(under_review):
    assert services.close_review(list_id=under_review.pk, now=AFTER)
    under_review.refresh_from_db()
    return under_review


def render(source) -> pypdf.PdfReader:
    """The PDF as the site serves it (the PDF core's synchronous render if it is in)."""
    try:
        from compact_process.pdf.services import render_now
    except ImportError:
        from compact_process.pdf.render import html_to_pdf

        return pypdf.PdfReader(io.BytesIO(html_to_pdf(source.render_html())))
    rendered = render_now(source)
    with rendered.file.open("rb") as handle:
        return pypdf.PdfReader(io.BytesIO(handle.read()))


def text_of(reader: pypdf.PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def squeezed(text: str) -> str:
    """Text without white space (extraction may break a long name across lines)."""
    return re.sub(r"\s+", "", text)


def objected_names() -> list[str]:
    return [name for name, _latin, _iso3, objected in ORGANIZATIONS if objected]


def approved_names() -> list[str]:
    return [name for name, _latin, _iso3, objected in ORGANIZATIONS if not objected]


# --- Keys -------------------------------------------------------------------------------


def test_keys_load_the_three_sources_and_refuse_malformed_ones(closed):
    for name, cls in [
        ("list-proposed", pdfs.ProposedListPdf),
        ("list-final", pdfs.FinalListPdf),
        ("list-comparison", pdfs.ComparisonListPdf),
    ]:
        source = sources.load(f"{name}:{closed.pk}:en")
        assert isinstance(source, cls)
        assert source.key == f"{name}:{closed.pk}:en"
    assert pdfs.ProposedListPdf(str(closed.pk), "en").filename() == (
        f"proposed-list-{closed.pk}-en.pdf"
    )
    for bad in [
        f"list-final:{closed.pk}:xx",  # not a language of the site
        f"list-final:{closed.pk}",  # no language
        "list-final:twelve:en",
    ]:
        with pytest.raises(sources.UnknownSource):
            sources.load(bad)
    assert not sources.load(f"list-final:{closed.pk + 1000}:en").exists()


# --- Who may read -----------------------------------------------------------------------


def test_the_public_reads_the_proposed_list_once_submitted_and_not_the_final_one(under_review):
    anonymous = AnonymousUser()
    assert pdfs.ProposedListPdf(str(under_review.pk), "en").may_read(anonymous)
    assert not pdfs.FinalListPdf(str(under_review.pk), "en").may_read(anonymous)
    assert not pdfs.ComparisonListPdf(str(under_review.pk), "en").may_read(anonymous)
    # The Office does not get a final list before the close either: there is none.
    assert not pdfs.FinalListPdf(str(under_review.pk), "en").may_read(
        User.objects.get(username="office")
    )


def test_a_list_being_composed_has_no_pdf_for_anyone(gcm):
    draft = submitted_list(gcm, submit=False)
    office = User.objects.get(username="office")
    for cls in (pdfs.ProposedListPdf, pdfs.FinalListPdf, pdfs.ComparisonListPdf):
        assert not cls(str(draft.pk), "en").may_read(AnonymousUser())
        assert not cls(str(draft.pk), "en").may_read(office)


def test_after_the_close_the_public_reads_all_three(closed):
    for cls in (pdfs.ProposedListPdf, pdfs.FinalListPdf, pdfs.ComparisonListPdf):
        assert cls(str(closed.pk), "en").may_read(AnonymousUser())


# --- Content ----------------------------------------------------------------------------


def test_the_proposed_list_has_its_title_every_organization_and_the_counts(under_review):
    source = pdfs.ProposedListPdf(str(under_review.pk), "en")
    reader = render(source)
    assert reader.metadata.title == "Proposed list of relevant stakeholders: Preparatory list"
    text = text_of(reader)
    assert "Proposed list of relevant stakeholders" in text
    for name, latin, _iso3, _objected in ORGANIZATIONS:
        if name != ARABIC:  # Arabic extraction can come out reversed: see the HTML test
            assert squeezed(name) in squeezed(text)
        if latin:
            assert squeezed(latin) in squeezed(text)
    assert re.search(r"Entries proposed\s*5", text)
    # Under review: nothing is decided yet, so no approved / not approved figures.
    assert "Not approved" not in text
    assert "Kenya" in text  # the country column


def test_the_final_list_holds_exactly_the_entries_without_a_standing_objection(closed):
    reader = render(pdfs.FinalListPdf(str(closed.pk), "en"))
    text = squeezed(text_of(reader))
    assert reader.metadata.title == "Final list of relevant stakeholders: Preparatory list"
    for name in approved_names():
        if name != ARABIC:
            assert squeezed(name) in text
    for name in objected_names():
        assert squeezed(name) not in text
    # The Arabic entry is approved: its Latin name is there.
    assert "MigrantSupportNetwork" in text
    plain = text_of(reader)
    assert re.search(r"Entries proposed\s*5", plain)
    assert re.search(r"Approved\s*3", plain)
    assert re.search(r"Not approved\s*2", plain)


def test_the_comparison_marks_exactly_the_removed_entries(closed):
    source = pdfs.ComparisonListPdf(str(closed.pk), "en")
    html = source.render_html()
    removed_rows = re.findall(r'<tr class="removed">(.*?)</tr>', html, re.S)
    assert len(removed_rows) == len(objected_names())
    for name in objected_names():
        assert any(name in row for row in removed_rows)
    text = squeezed(text_of(render(source)))  # a narrow cell wraps its words
    assert text.count("Notapproved:removed") == 2
    assert text.count("Onthefinallist") == 3
    assert text.count("(1objection)") == 2  # how many objected, never who


def test_the_public_pdfs_never_name_an_objecting_state_nor_a_person(closed):
    for cls in (pdfs.ProposedListPdf, pdfs.FinalListPdf, pdfs.ComparisonListPdf):
        source = cls(str(closed.pk), "en")
        text = text_of(render(source))
        html = source.render_html()
        for secret in ("Mexico", "Germany", "Representative Persona", "confidential basis"):
            assert secret not in text
            assert secret not in html


def test_the_entries_are_numbered_in_a_stable_order(closed):
    html = pdfs.ProposedListPdf(str(closed.pk), "en").render_html()
    numbers = [int(n) for n in re.findall(r'<td class="n">(\d+)</td>', html)]
    assert numbers == [1, 2, 3, 4, 5]
    # The final list numbers its own entries from 1.
    html = pdfs.FinalListPdf(str(closed.pk), "en").render_html()
    assert [int(n) for n in re.findall(r'<td class="n">(\d+)</td>', html)] == [1, 2, 3]
    assert html == pdfs.FinalListPdf(str(closed.pk), "en").render_html()


def test_an_arabic_pdf_is_right_to_left_with_an_arabic_font(closed):
    source = pdfs.ComparisonListPdf(str(closed.pk), "ar")
    html = source.render_html()
    assert re.search(r'<html lang="ar" dir="rtl">', html)
    assert ARABIC in html
    reader = render(source)
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    assert any("NotoNaskhArabic" in f or "Arabic" in f for f in fonts), fonts
    # The Chinese and Russian names are still printed in their own scripts.
    text = squeezed(text_of(reader))
    assert squeezed(CHINESE) in text
    assert squeezed(CYRILLIC) in text


def test_the_country_names_follow_the_pdf_language(closed):
    html = pdfs.ProposedListPdf(str(closed.pk), "fr").render_html()
    assert '<html lang="fr" dir="ltr">' in html
    kenya = state("KEN")
    french = getattr(kenya, "name_fr", "") or kenya.name
    assert french in html


# --- Long lists -------------------------------------------------------------------------


def bulk_list(process, n: int):
    """A submitted list of n entries with short Latin names, bulk-created (the services
    are exercised above)."""
    office = person("office", "pga_office")
    kenya = state("KEN")
    with time_machine.travel(OPENED, tick=False):
        lst = services.create_list(
            process=process, purpose="preparatory", title="Long", actor=office
        )
        orgs = Organization.objects.bulk_create(
            Organization(name=f"Org {i:04d}", kind="ngo", country=kenya, email=f"o{i}@example.org")
            for i in range(n)
        )
        applications = Application.objects.bulk_create(
            Application(
                process=process,
                organization=org,
                channel=Channel.SPECIAL,
                state=ApplicationState.SCREENED_IN,
                activities="x",
            )
            for org in orgs
        )
        Representative.objects.bulk_create(
            Representative(application=a, name="R", gender="woman") for a in applications
        )
        ListEntry.objects.bulk_create(
            ListEntry(stakeholder_list=lst, application=a) for a in applications
        )
        services.submit_list(stakeholder_list=lst, deadline=DEADLINE, actor=office)
    return lst


def test_a_long_list_reports_progress_per_chunk_of_rows(gcm):
    lst = bulk_list(gcm, 1100)
    source = pdfs.ProposedListPdf(str(lst.pk), "en")
    assert source.steps() == 3
    seen = []
    html = source.render_html(progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    numbers = [int(n) for n in re.findall(r'<td class="n">(\d+)</td>', html)]
    assert numbers == list(range(1, 1101))


def test_the_page_count_grows_with_the_list_and_the_header_repeats(gcm):
    lst = bulk_list(gcm, 200)
    reader = render(pdfs.ProposedListPdf(str(lst.pk), "en"))
    # One line per entry: about 50 rows on an A4 page, the first page shorter.
    assert 4 <= len(reader.pages) <= 6
    for page in reader.pages:
        assert "Organization" in page.extract_text()  # the header row on every page
    last = reader.pages[-1].extract_text()
    assert "Org 0199" in last
    assert "200" in last


# --- Links on the pages -----------------------------------------------------------------


def pdf_url(key: str, language: str = "en") -> str:
    with translation.override(language):
        return reverse("pdf:file", args=[key])


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def test_the_public_pages_link_the_pdfs_of_the_page_language(closed):
    proposed = pdf_url(f"list-proposed:{closed.pk}:en")
    index = Client().get(url("stakeholders-public:index")).content.decode()
    compare = Client().get(url("stakeholders-public:compare", closed.pk)).content.decode()
    for page in (index, compare):
        for key in ("list-proposed", "list-final", "list-comparison"):
            assert f'href="{pdf_url(f"{key}:{closed.pk}:en")}"' in page
    assert proposed in index
    assert "(PDF)" in compare
    arabic = Client().get(url("stakeholders-public:compare", closed.pk, language="ar"))
    assert pdf_url(f"list-final:{closed.pk}:ar", "ar") in arabic.content.decode()


def test_a_list_under_review_offers_only_the_proposed_list(under_review):
    page = Client().get(url("stakeholders-public:compare", under_review.pk)).content.decode()
    assert pdf_url(f"list-proposed:{under_review.pk}:en") in page
    assert f"list-final:{under_review.pk}" not in page
    assert f"list-comparison:{under_review.pk}" not in page


def test_the_office_and_the_delegates_see_the_links_next_to_each_list(closed):
    office = Client()
    office.force_login(User.objects.get(username="office"))
    final = pdf_url(f"list-final:{closed.pk}:en")
    assert final in office.get(url("stakeholders-office:lists")).content.decode()
    assert final in office.get(url("stakeholders-office:list", closed.pk)).content.decode()
    mexico = Client()
    mexico.force_login(User.objects.get(username="mx"))
    assert final in mexico.get(url("stakeholders-review:lists")).content.decode()
    assert final in mexico.get(url("stakeholders-review:list", closed.pk)).content.decode()


def test_the_pdf_link_serves_the_rendered_pdf_to_an_anonymous_visitor(closed):
    source = pdfs.FinalListPdf(str(closed.pk), "en")
    render(source)  # what the worker does; the link then serves the cached file
    response = Client().get(pdf_url(source.key))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"final-list-{closed.pk}-en.pdf" in response["Content-Disposition"]
    reader = pypdf.PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert reader.metadata.title == "Final list of relevant stakeholders: Preparatory list"


def test_the_pdf_link_refuses_the_final_list_of_a_list_under_review(under_review):
    url = pdf_url(f"list-final:{under_review.pk}:en")
    assert Client().get(url).status_code == 404
