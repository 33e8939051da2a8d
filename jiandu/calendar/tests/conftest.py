"""Fixtures of the calendar tests: a calendar administrator and an ordinary user."""

from __future__ import annotations

import pytest
from django.test import Client
from factories import UserFactory
from scenario import Registry

from jiandu.access.models import User
from jiandu.access.roles import CALENDAR_ADMINISTRATORS, role_group


@pytest.fixture
def administrator(registry: Registry) -> User:
    user = UserFactory(username="calendar-admin", body=registry.commission)
    user.groups.add(role_group(CALENDAR_ADMINISTRATORS))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def reader(registry: Registry) -> User:
    return UserFactory(username="calendar-reader", body=registry.maguan_office)


def client_for(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client
