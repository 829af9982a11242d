"""``{% notification_bell %}``: the link to the inbox with the signed-in person's unread
count, a number (a plural form needs one: a lazy object made the Russian, Spanish and
Arabic formulas raise) and said as a sentence to a screen reader ("3 unread
notifications."), counted only where a page shows the bell."""

from django import template

from compact_process.notifications.models import Notification

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context) -> dict:
    user = getattr(context.get("request"), "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = Notification.objects.filter(recipient=user).unread().count()
    return {"unread": unread}
