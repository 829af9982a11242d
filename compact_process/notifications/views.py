"""A signed-in user's notifications: the list (newest first, unread marked) and marking
them read. Each user sees only their own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from compact_process.notifications import services
from compact_process.notifications.models import Notification

PER_PAGE = 30


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(
        Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id"),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    items = [
        {
            "notification": notification,
            "text": services.subject(notification),
            "link": services.link(notification),
        }
        for notification in page
    ]
    # The count is a number, not the context processor's lazy object: the plural formulas
    # of Russian, Spanish and Arabic take it modulo 10 or 100, which a lazy object refuses.
    unread = Notification.objects.filter(recipient=request.user).unread().count()
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "items": items, "unread_count": unread},
    )


@require_POST
@login_required
def read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = Notification.objects.filter(recipient=request.user, pk=pk).first()
    if notification is None:
        raise Http404(_("No such notification."))
    services.mark_read(user=request.user, pk=pk)
    target = services.link(notification)
    if request.POST.get("open") and target:
        return redirect(target)
    return redirect("notifications:inbox")


@require_POST
@login_required
def read_all(request: HttpRequest) -> HttpResponse:
    marked = services.mark_read(user=request.user)
    if marked:
        messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:inbox")
