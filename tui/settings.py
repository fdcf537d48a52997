"""The app's remembered settings (the theme), in one JSON file; a broken file is ignored."""

from __future__ import annotations

import json
from pathlib import Path

from ..db import paths


def load() -> dict[str, object]:
    try:
        data = json.loads(paths.config_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(**changes: object) -> None:
    """Merge ``changes`` into the settings file; a failure to write is not fatal."""
    target: Path = paths.config_file()
    data = {**load(), **changes}
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        partial.replace(target)
    except OSError:
        return
