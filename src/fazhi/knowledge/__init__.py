"""Knowledge as data: versioned TOML files shipped with the package, loaded once and cached."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """The parsed contents of knowledge/NAME.toml."""
    return tomllib.loads(resources.files(__package__).joinpath(f"{name}.toml").read_text(encoding="utf-8"))
