"""Fixtures shared by the tests of every area (tests/ and jiandu/*/tests/)."""

from __future__ import annotations

import pytest
from scenario import Registry, build_registry


@pytest.fixture
def registry(db: None) -> Registry:
    return build_registry()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that runs outside a transaction restores the data migrations' rows from the copy taken
    when the test database was created (serialized rollback).

    A transactional test empties the database when it ends. Without serialized rollback that flush runs
    post_migrate, which creates content types and permissions afresh under new ids; the next test that
    restores the copy then collides with them (UNIQUE app_label, model) and finds no sources, categories or
    roles. With it, every such flush leaves the tables empty and the next restore puts everything back.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            continue
        if not marker.kwargs.get("serialized_rollback"):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)
