"""The trivial view (``/healthz``): the server time of a request that does nothing, through
the whole middleware stack. The baseline every page's figure is compared with."""

from __future__ import annotations

from django.test import Client

from bench.core import MS, Context, Record, median_ms

URL = "/healthz"
WARMUP = 30
REQUESTS = 300


def run(ctx: Context) -> list[Record]:
    client = Client()
    response = client.get(URL)
    if response.status_code != 200:
        raise AssertionError(f"GET {URL} answered {response.status_code}")
    ctx.log(f"timing GET {URL} ×{REQUESTS}…")
    elapsed = median_ms(lambda: client.get(URL), repeats=REQUESTS, warmup=WARMUP)
    return [Record("trivial_view.server_time", elapsed, MS)]
