"""The pages of the no-objection review at the scale the issue names (a list of 3,000
entries, 193 Member States, 20,000 objections), and at a tenth of it: each must run the
same number of SQL queries at both sizes.

- ``review_list``: a delegate's page of a list under review (stakeholders-review:list,
  paginated), signed in as the delegate of the first Member State, which has objections
  of its own on the page;
- ``office_list``: the Office's composition page of a draft list of the same size
  (stakeholders-office:list), with the live balance by region and gender;
- ``office_review``: the Office's page of the list under review (stakeholders-office:list),
  each entry with its standing objections counted live and the bases received;
  ``office_review_with``: the same, filtered to the entries with objections;
- ``public_compare``: the public comparison page (stakeholders-public:compare) of the
  list under review once closed, every entry with its outcome and objection count;
  uncached (the public cache emptied before each request) and cached.

The lists come from ``bench.data.stakeholder_list``, as in bench_review; the generated
small process is made the default one (the Office's and the public pages show it).
"""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.core import COUNT, RATIO, Context, Record
from bench.data import REVIEW_SIZES as SIZES
from bench.data import as_default_process, process_of_size, stakeholder_list, user_with_role
from bench.web import measure_page, private_cache, warn_if_queries_grow
from compact_process.accounts.permissions import grant_delegate
from phases.enums import StateStatus
from phases.models import MemberState
from stakeholders import services

PAGES = ("review_list", "office_list", "office_review", "office_review_with", "public_compare")


def _delegate_client() -> Client:
    """Signed in as a delegate of the first Member State (whose objections the generated
    lists hold, like every State's)."""
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="bench-reviewer")
    grant_delegate(user, MemberState.objects.filter(status=StateStatus.MEMBER).earliest("id"))
    client = Client()
    client.force_login(user)
    return client


def run(ctx: Context) -> list[Record]:
    process = process_of_size(ctx, "small")
    delegate = _delegate_client()
    office = Client()
    office.force_login(user_with_role("pga_office"))
    anonymous = Client()
    records: list[Record] = []
    queries: dict[str, dict[str, int]] = {}

    def measure(page: str, size: str, client: Client, url: str, *, public: bool) -> None:
        n, measured = measure_page(ctx, f"page.{page}.{size}", client, url, public=public)
        queries.setdefault(page, {})[size] = n
        records.extend(measured)

    with private_cache(), as_default_process(process):
        for size, (entries, objections) in SIZES.items():
            deadline = timezone.now() + datetime.timedelta(days=7)
            under_review = stakeholder_list(
                ctx,
                process,
                title=f"Bench review {size}",
                entries=entries,
                objections=objections,
                deadline=deadline,
            )
            draft = stakeholder_list(ctx, process, title=f"Bench draft {size}", entries=entries)
            url = reverse("stakeholders-review:list", args=[under_review.pk])
            shown = delegate.get(url).content.count(b"objection--standing")
            records.append(Record(f"page.review_list.{size}.own_objections_shown", shown, COUNT))
            measure("review_list", size, delegate, url, public=False)
            url = reverse("stakeholders-office:list", args=[draft.pk])
            measure("office_list", size, office, url, public=False)
            url = reverse("stakeholders-office:list", args=[under_review.pk])
            shown = office.get(url).content.count(b'class="objection-count"')
            records.append(Record(f"page.office_review.{size}.entries_shown", shown, COUNT))
            measure("office_review", size, office, url, public=False)
            measure("office_review_with", size, office, f"{url}?objections=with", public=False)
            services.close_review(list_id=under_review.pk, now=deadline + services.CLOSE_GRACE)
            url = reverse("stakeholders-public:compare", args=[under_review.pk])
            measure("public_compare", size, anonymous, url, public=True)
    for page in PAGES:
        small, large = queries[page]["small"], queries[page]["large"]
        records.append(Record(f"page.{page}.queries_ratio", round(large / small, 2), RATIO))
    warn_if_queries_grow(ctx, queries)
    return records
