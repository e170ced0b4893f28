"""The JSON contract of `fazhi check --format json`."""

from __future__ import annotations

import json
from typing import Any

from fazhi.version import __version__
from fazhi.model import Review


def payload(reviews: list[Review]) -> dict[str, Any]:
    return {"fazhi_version": __version__, "reports": [r.to_dict() for r in reviews]}


def render(reviews: list[Review]) -> str:
    return json.dumps(payload(reviews), ensure_ascii=False, indent=2)
