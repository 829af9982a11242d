from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse


def healthz(request: HttpRequest) -> HttpResponse:
    """The trivial view: liveness for load balancers, and the baseline of the benchmarks."""
    return HttpResponse("ok", content_type="text/plain")


def healthz_db(request: HttpRequest) -> HttpResponse:
    """Readiness: this process answers and so does the database (docker-compose's
    healthcheck of the web app, ``compact_process/healthcheck.py``). Kept apart from
    ``healthz``, which the benchmarks measure as the request that does nothing."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("the database does not answer", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
