"""Fixtures of the rectification tests (the world itself is built in support.py)."""

from __future__ import annotations

import pytest
from scenario import Registry

from jiandu.rectification.tests.support import World, build_world


@pytest.fixture
def world(registry: Registry, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    return build_world(registry)
