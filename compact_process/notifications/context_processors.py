from django.utils.functional import SimpleLazyObject


def notifications(request):
    """``unread_notifications``: the signed-in user's unread count, queried only if a
    template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from compact_process.notifications.models import Notification

        return Notification.objects.filter(recipient=user).unread().count()

    return {"unread_notifications": SimpleLazyObject(count)}
