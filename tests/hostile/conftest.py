"""Fixtures of the hostile-input tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def library(story_path: Path) -> Path:
    return story_path
