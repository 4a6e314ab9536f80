"""The PDF's look as data: ``resources/pdf/style.toml`` (page, faces, roles, tables).

Kept out of the code so that sizes, margins and font choices can be tuned without
touching the layout logic (the rst2pdf habit).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from reportlab.lib.units import mm

from app.paths import resource_path


@dataclass(frozen=True)
class Style:
    data: dict[str, Any]

    def role(self, name: str) -> dict[str, Any]:
        return self.data["roles"][name]

    @property
    def faces(self) -> dict[str, dict[str, Any]]:
        return self.data["faces"]

    @property
    def fallback_order(self) -> list[str]:
        return list(self.data["fallback"]["order"])

    def table(self, layout: str) -> dict[str, Any]:
        return self.data["tables"][layout]

    def margin(self, side: str) -> float:
        return float(self.data["page"][f"margin_{side}_mm"]) * mm


@cache
def load_style() -> Style:
    with open(resource_path("pdf", "style.toml"), "rb") as fh:
        return Style(tomllib.load(fh))
