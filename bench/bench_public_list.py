"""The public page of a closed list at the issue's scale (issue 14, item 7): a 3,000-entry
list was one page of a megabyte that took 1.5–1.7 s uncached. Paginated, its page must be
small, fast, and cost the same queries at 300 and 3,000 entries; the CSV download still
holds the whole list (measured beside it, for the record).

The lists are generated (``bench.data.stakeholder_list``) on a process of their own with
no meetings, and closed through ``services.close_review``: what the public page shows
does not depend on the meetings, and the close's cost is measured by bench_review.
"""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.core import COUNT, MS, RATIO, Context, Record, median_ms
from bench.data import REVIEW_SIZES as SIZES
from bench.data import as_default_process, stakeholder_list
from bench.web import invalidate_public_cache, measure_page, private_cache, warn_if_queries_grow
from phases.models import Process
from stakeholders import services

BYTES = "bytes"


def _process() -> Process:
    title = "Benchmark process (public lists)"
    process, _ = Process.objects.get_or_create(
        slug="bench-public-lists",
        defaults={
            "title": title,
            "title_en": title,
            "mandate": "A/RES/71/280",
            "mandate_adopted_on": datetime.date(2017, 4, 6),
        },
    )
    return process


def run(ctx: Context) -> list[Record]:
    process = _process()
    anonymous = Client()
    records: list[Record] = []
    queries: dict[str, dict[str, int]] = {}
    with private_cache(), as_default_process(process):
        for size, (entries, objections) in SIZES.items():
            deadline = timezone.now() - datetime.timedelta(days=1)
            lst = stakeholder_list(
                ctx,
                process,
                title=f"Bench public {size}",
                entries=entries,
                objections=objections,
                deadline=deadline,
            )
            services.close_review(list_id=lst.pk, now=deadline + services.close_grace())
            url = reverse("stakeholders-public:compare", args=[lst.pk])
            prefix = f"page.public_list.{size}"
            n, measured = measure_page(ctx, prefix, anonymous, url, public=True)
            queries.setdefault("public_list", {})[size] = n
            records.extend(measured)
            invalidate_public_cache()
            page = anonymous.get(url).content
            records.append(Record(f"{prefix}.bytes", len(page), BYTES))
            records.append(Record(f"{prefix}.rows", page.count(b'<th scope="row">'), COUNT))
            csv_url = reverse("stakeholders-public:csv", args=[lst.pk])
            invalidate_public_cache()
            csv = anonymous.get(csv_url).content
            records.append(Record(f"download.public_csv.{size}.bytes", len(csv), BYTES))
            records.append(
                Record(
                    f"download.public_csv.{size}.time_uncached",
                    median_ms(
                        lambda url=csv_url: (invalidate_public_cache(), anonymous.get(url)),
                        repeats=5,
                    ),
                    MS,
                )
            )
            ctx.log(f"{prefix}: {len(page)} bytes; the CSV of the whole list {len(csv)} bytes")
    small, large = queries["public_list"]["small"], queries["public_list"]["large"]
    records.append(Record("page.public_list.queries_ratio", round(large / small, 2), RATIO))
    warn_if_queries_grow(ctx, queries)
    return records
