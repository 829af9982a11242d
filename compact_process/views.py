from django.http import HttpRequest, HttpResponse


def healthz(request: HttpRequest) -> HttpResponse:
    """The trivial view: liveness for load balancers, and the baseline of the benchmarks."""
    return HttpResponse("ok", content_type="text/plain")
