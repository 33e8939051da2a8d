"""Reads for account administration: which accounts and bodies an administrator may manage."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db.models import Prefetch, QuerySet

from jiandu.access.models import User
from jiandu.access.roles import ROLES
from jiandu.org.models import Body


def manageable_users(acting_user: Any, action: str = "change") -> QuerySet[User]:
    """Accounts whose body lies in the administrator's scope. Superuser and staff accounts are managed by
    superusers only; without the permission for `action`, nothing."""
    permission = "access.view_user" if action == "view" else "access.change_user"
    if not acting_user.has_perm(permission):
        return User.objects.none()
    users = User.objects.visible_to(acting_user, action)
    if not acting_user.is_superuser:
        users = users.filter(is_superuser=False, is_staff=False)
    return users


def user_list(acting_user: Any) -> QuerySet[User]:
    roles = Group.objects.filter(name__in=ROLES).order_by("name")
    return (
        manageable_users(acting_user, "view")
        .select_related("body", "body__region")
        .prefetch_related(Prefetch("groups", queryset=roles, to_attr="roles"))
        .order_by("username")
    )


def assignable_bodies(acting_user: Any) -> QuerySet[Body]:
    """The active bodies an administrator may make an account act for: those in their scope."""
    return Body.objects.visible_to(acting_user, "change").filter(is_active=True)
