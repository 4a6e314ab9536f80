"""The printed look as data: ``resources/pdf/style.toml`` (page, faces, roles, tables),
read by the PDF and the Word export alike (no reportlab here).

Kept out of the code so that sizes, margins and font choices can be tuned without
touching the layout logic (the rst2pdf habit).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from app.paths import resource_path
from app.toml_cache import read_toml

MM = 72 / 25.4
"""Points per millimetre."""


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
        """A page margin in points."""
        return float(self.data["page"][f"margin_{side}_mm"]) * MM

    @property
    def block(self) -> tuple[float, float]:
        """Width and height of the text block (A4 less the margins), in points."""
        return (210 * MM - self.margin("left") - self.margin("right"),
                297 * MM - self.margin("top") - self.margin("bottom"))

    @property
    def pitch(self) -> float:
        """The line grid: the block height over ``page.lines`` (225 mm / 22 = 28.99 pt)."""
        return self.block[1] / self.data["page"]["lines"]

    @property
    def draft_mark(self) -> str:
        return self.data["draft"]["mark"]

    def word_font(self, role: str) -> str:
        """The font name a Word file asks for in ``role``: its intended face's."""
        return self.faces[self.role(role)["faces"][0]]["word"]


@cache
def load_style() -> Style:
    return Style(read_toml(resource_path("pdf", "style.toml")))
