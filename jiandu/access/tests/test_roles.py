"""The fixed roles exist after migrating, with their permissions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from jiandu.access.roles import ROLES

pytestmark = pytest.mark.django_db


def test_the_migration_creates_every_role_with_its_permissions() -> None:
    for name, (_label, permissions) in ROLES.items():
        group = Group.objects.get(name=name)
        held = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        assert set(permissions) <= held, name
    administrators = Group.objects.get(name="account administrators")
    codenames = set(administrators.permissions.values_list("codename", flat=True))
    assert {"add_user", "change_user", "view_user"} <= codenames
    assert "delete_user" not in codenames
