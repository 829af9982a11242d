"""Who may do what. Roles are groups; a delegate's right to act for one Member State is
a django-guardian object permission on that State (direct foreign-key tables)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from compact_process.accounts.roles import Role

ACT_FOR_STATE = "phases.act_for_state"
# The staff who decide who takes part: a shorter idle sign-out (compact_process.web.idle)
# and a second factor required (compact_process.accounts.two_factor), superusers too.
DECIDING_ROLES = (Role.SECRETARIAT, Role.PGA_OFFICE, Role.CO_FACILITATOR)


def has_role(user, *roles: Role | str) -> bool:
    if not user.is_authenticated:
        return False
    names = {str(r) for r in roles}
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return bool(cached & names)


def decides_who_takes_part(user) -> bool:
    return bool(user.is_superuser or has_role(user, *DECIDING_ROLES))


def role_required(*roles: Role | str) -> Callable:
    """View decorator: signed-out visitors go to sign-in; signed-in users without one of
    the roles get 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def grant_delegate(user, state) -> None:
    """Let a user act as a delegate of one State (and only that State)."""
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=Role.DELEGATE))
    assign_perm(ACT_FOR_STATE, user, state)


def revoke_delegate(user, state) -> None:
    remove_perm(ACT_FOR_STATE, user, state)


def acts_for(user, state) -> bool:
    return user.is_authenticated and user.has_perm(ACT_FOR_STATE, state)


def states_of(user) -> QuerySet:
    """The States a user may act for (none for anonymous visitors)."""
    from phases.models import MemberState

    if not user.is_authenticated:
        return MemberState.objects.none()
    return get_objects_for_user(
        user, ACT_FOR_STATE, klass=MemberState.objects.all(), accept_global_perms=False
    )


def delegate_user_ids(only: int | None = None) -> list[int]:
    """Active users who may act for some Member State, by their own or a group's object
    permission (``only``: just this user, if so)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    app_label, codename = ACT_FOR_STATE.split(".")
    user_grant = Q(
        memberstateuserobjectpermission__permission__codename=codename,
        memberstateuserobjectpermission__permission__content_type__app_label=app_label,
    )
    group_grant = Q(
        groups__memberstategroupobjectpermission__permission__codename=codename,
        groups__memberstategroupobjectpermission__permission__content_type__app_label=app_label,
    )
    users = get_user_model().objects.filter(is_active=True).filter(user_grant | group_grant)
    if only is not None:
        users = users.filter(pk=only)
    return list(users.values_list("pk", flat=True).distinct())
