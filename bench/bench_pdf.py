"""PDF rendering (WeasyPrint, ``compact_process.pdf.render.render_pdf``): a 50-page summary
with headings, paragraphs and footnotes (English, and the same in Chinese), and a
3,000-entry stakeholder list table. Both are synthetic HTML in the UN document layout
(``pdf/base.html``); the synthetic table has the columns of the stakeholder list. The
real thing is measured too: the ``list-comparison`` source (``stakeholders.pdfs``) of a
generated 3,000-entry list after ``close_review``, with its HTML built by the source itself
(its chunks of 500 rows, as the worker builds it).

For each: the HTML (template) render time, the PDF render time, the page count, and the
peak memory of the PDF render, measured in a child process as the growth of
``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (peak resident set size) over the process's
size just before rendering (Django loaded, HTML read)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.core import COUNT, MIB, MS, Context, Record

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time, os, logging
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compact_process.settings")
import django
django.setup()
logging.getLogger("weasyprint").setLevel(logging.ERROR)
from compact_process.pdf.render import render_pdf
import weasyprint  # imported before the baseline: only the render is measured
html = open(sys.argv[1], encoding="utf-8").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
result = render_pdf(html)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"ms": seconds * 1000, "pages": result.pages, "size": len(result.pdf),
                  "peak_kib": peak, "before_kib": before}))
"""

SUMMARY = """{% extends "pdf/base.html" %}{% block content %}
{% for section in sections %}<h2>{{ section.title }}</h2>
{% for p in section.paragraphs %}<p>{{ p }}{% if forloop.first %}
<span class="footnote">{{ section.note }}</span>{% endif %}</p>{% endfor %}
{% endfor %}{% endblock %}"""

TABLE = """{% extends "pdf/base.html" %}{% block content %}
<table><caption>{{ caption }}</caption>
<thead><tr><th>#</th><th>Organization</th><th>Country</th><th>Kind</th><th>Status</th></tr></thead>
<tbody>{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody>
</table>{% endblock %}"""

EN_SENTENCE = (
    "Delegations underlined that safe, orderly and regular migration benefits countries of "
    "origin, transit and destination, and called for cooperation on return and readmission. "
)
ZH_SENTENCE = (
    "各代表团强调，安全、有序和正常的移民有利于原籍国、过境国和目的地国，"
    "并呼吁在返回和重新接纳方面开展合作。"
)


def _summary_context(language: str) -> dict:
    sentence = ZH_SENTENCE if language == "zh-hans" else EN_SENTENCE
    sections = [
        {
            "title": f"{i + 1}. Thematic session {i + 1}",
            "paragraphs": [sentence * 6 for _ in range(6)],
            "note": f"Statement {i + 1} is on the website of the process.",
        }
        for i in range(42 if language == "zh-hans" else 34)
    ]
    return {"sections": sections}


def _table_context() -> dict:
    kinds = ["NGO", "Academia", "Private sector", "Trade union", "Diaspora"]
    rows = [
        (
            i + 1,
            f"Migrant Rights Association number {i + 1}",
            f"Country {i % 193}",
            kinds[i % 5],
            "Approved",
        )
        for i in range(3000)
    ]
    return {"rows": rows, "caption": "Approved stakeholders"}


def _html(template: str, language: str, context: dict) -> tuple[str, float]:
    from django.template import engines
    from django.utils import translation

    from compact_process.pdf.sources import PdfMeta

    meta = PdfMeta(
        title="Summary of the intergovernmental consultations",
        language=language,
        symbol="A/CONF.231/PS/1",
        distribution="General",
        original_language="English",
    )
    compiled = engines["django"].from_string(template)
    start = time.perf_counter()
    with translation.override(language):
        html = compiled.render({**context, "meta": meta})
    return html, (time.perf_counter() - start) * 1000


def _render_in_child(html: str) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".html", encoding="utf-8", delete=False) as file:
        file.write(html)
    try:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, file.name],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
            check=True,
        ).stdout
    finally:
        Path(file.name).unlink()
    return json.loads(out.strip().splitlines()[-1])


def _real_list_html(ctx: Context) -> tuple[str, float]:
    """The comparison PDF's HTML of a closed 3,000-entry list, and its build time (ms)."""
    import datetime

    from django.utils import timezone

    from bench.data import process_of_size, stakeholder_list
    from stakeholders import services
    from stakeholders.pdfs import ComparisonListPdf

    process = process_of_size(ctx, "small")
    lst = stakeholder_list(
        ctx,
        process,
        title="Bench PDF list",
        entries=3000,
        objections=2000,
        deadline=timezone.now() - datetime.timedelta(minutes=10),
    )
    assert services.close_review(list_id=lst.pk), "the review did not close"
    source = ComparisonListPdf(str(lst.pk), "en")
    start = time.perf_counter()
    html = source.render_html()
    return html, (time.perf_counter() - start) * 1000


def run(ctx: Context) -> list[Record]:
    cases = [
        ("summary_50_pages.en", SUMMARY, "en", _summary_context("en")),
        ("summary_50_pages.zh", SUMMARY, "zh-hans", _summary_context("zh-hans")),
        ("stakeholder_table_3000", TABLE, "en", _table_context()),
    ]
    records: list[Record] = []
    for name, template, language, context in [*cases, ("list_comparison_3000", None, "en", None)]:
        if template is None:
            html, html_ms = _real_list_html(ctx)
        else:
            html, html_ms = _html(template, language, context)
        ctx.log(f"pdf: rendering {name} ({len(html) // 1024} KiB of HTML) in a child process…")
        child = _render_in_child(html)
        peak = (child["peak_kib"] - child["before_kib"]) / 1024
        records += [
            Record(f"pdf.{name}.html_time", round(html_ms, 2), MS),
            Record(f"pdf.{name}.pdf_time", round(child["ms"], 2), MS),
            Record(f"pdf.{name}.pages", child["pages"], COUNT),
            Record(f"pdf.{name}.peak_memory", round(peak, 1), MIB),
            Record(f"pdf.{name}.process_peak_memory", round(child["peak_kib"] / 1024, 1), MIB),
        ]
    return records
