"""The layout figures of GB/T 9704-2012 (knowledge/layout.toml), with a configuration's overrides."""

from __future__ import annotations

import copy
import json
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

ROLES = ("title", "addressee", "body", "heading1", "heading2", "heading3", "heading4", "signoff", "date")


@lru_cache(maxsize=1)
def _bundled() -> dict[str, Any]:
    return tomllib.loads(resources.files("fazhi.knowledge").joinpath("layout.toml").read_text(encoding="utf-8"))


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


class LayoutSpecError(ValueError):
    """An override names an unknown key or gives a value of the wrong type (Chinese message)."""


def validate(overrides: dict[str, Any], base: dict[str, Any] | None = None, path: str = "layout") -> None:
    """Raise LayoutSpecError for a key the bundled file does not have or a value of another type."""
    base = _bundled() if base is None else base
    for key, value in overrides.items():
        if key not in base:
            raise LayoutSpecError(f"配置项 {path}.{key} 不存在（可覆盖的项见 knowledge/layout.toml）")
        ref = base[key]
        if isinstance(ref, dict):
            if not isinstance(value, dict):
                raise LayoutSpecError(f"配置项 {path}.{key} 应为一个表")
            validate(value, ref, f"{path}.{key}")
        elif isinstance(ref, (int, float)) and not isinstance(ref, bool):
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise LayoutSpecError(f"配置项 {path}.{key} 应为数字")
        elif not isinstance(value, type(ref)):
            raise LayoutSpecError(f"配置项 {path}.{key} 的类型应与 knowledge/layout.toml 中一致")


@dataclass(frozen=True, slots=True)
class LayoutSpec:
    data: dict[str, Any]
    families: dict[str, str]  # font name, lower-cased -> family

    def family_of(self, font: str | None) -> str | None:
        """The family ("仿宋", "黑体" ...) a font name belongs to, or None for any other font."""
        if not font:
            return None
        return self.families.get(font.strip().lower())

    def role(self, name: str) -> dict[str, Any]:
        return self.data["roles"][name]

    def size_name(self, pt: float) -> str:
        for name, value in self.data["sizes"].items():
            if abs(value - pt) < 0.26:
                return name
        return f"{pt:g}磅"

    def office_font(self, family: str) -> str:
        return self.data["fonts"][family]["office"]

    def fallbacks(self, family: str) -> list[str]:
        return list(self.data["fonts"][family].get("fallbacks", []))

    @property
    def page(self) -> dict[str, Any]:
        return self.data["page"]


def _families(fonts: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for family, entry in fonts.items():
        for name in [entry.get("office", ""), *entry.get("names", [])]:
            if name:
                out.setdefault(name.strip().lower(), family)
    return out


@lru_cache(maxsize=16)
def _spec(overrides_json: str) -> LayoutSpec:
    overrides = json.loads(overrides_json)
    data = _merge(_bundled(), overrides) if overrides else _bundled()
    return LayoutSpec(data, _families(data["fonts"]))


def spec(overrides: dict[str, Any] | None = None) -> LayoutSpec:
    """The bundled figures, with a configuration's [layout] overrides applied."""
    return _spec(json.dumps(overrides or {}, sort_keys=True, ensure_ascii=False))
