"""Fixtures of the filing tests: a township filer, a county user and a fixed "now"."""

from __future__ import annotations

import datetime

import pytest
from factories import UserFactory
from scenario import Registry

from jiandu.access.models import User
from jiandu.access.roles import LEDGER_EDITORS, role_group

# 2026-11-10: October's filings (due 5 working days after 31 October: 2026-11-06) are late from today.
NOW = datetime.datetime(2026, 11, 10, 9, 30, tzinfo=datetime.UTC)


def editor(body, username: str) -> User:
    user = UserFactory(username=username, body=body)
    user.groups.add(role_group(LEDGER_EDITORS))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def township_user(registry: Registry) -> User:
    return editor(registry.maguan_office, "maguan-filer")


@pytest.fixture
def county_user(registry: Registry) -> User:
    return editor(registry.commission, "puding-filer")
