"""Fixtures shared by the tests of every area (tests/ and jiandu/*/tests/)."""

from __future__ import annotations

import pytest
from scenario import Registry, build_registry


@pytest.fixture
def registry(db: None) -> Registry:
    return build_registry()
