"""Blocks (``GridText``, ``TableBlock``) laid onto pages, top to bottom, a new page when
the next block does not fit, a block split where a page ends.

This is what reportlab's platypus document template and frame did for this document,
kept to the few rules it used, so that pages break where they always did: a block that
does not fit is split (its first part must then fit); a block that cannot be split is
moved to the next page once, and if it does not fit there either, the layout fails.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from app.pdf.errors import PdfError

FUZZ = 1e-6


class Block(Protocol):
    space_after: float

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """(width, height) when drawn in the given room."""

    def split(self, avail_width: float, avail_height: float) -> list:
        """Parts whose first fits the given height, or [] when it cannot be split."""

    def draw(self, canv) -> None:
        """Draw with its bottom left at the origin (after ``wrap``)."""


class LayoutFailed(PdfError):
    """Something is taller than a page and cannot be split."""

    def __init__(self, page: int) -> None:
        super().__init__(f"排版失败：第 {page} 页有内容无法放进一页。请缩短过长的段落或单位名称后再试。")


def lay_out(canv, blocks: list[Block], *, left: float, bottom: float, width: float, height: float,
            begin_page: Callable[[object], None],
            end_page: Callable[[object, int], None]) -> int:
    """Draw ``blocks`` on pages whose text block is ``width`` × ``height`` with its bottom
    left corner at (``left``, ``bottom``). ``begin_page(canv)`` is called before a page's
    content, ``end_page(canv, number)`` after it. Returns the number of pages."""
    top = bottom + height
    room_width = (left + width) - left
    queue = list(blocks)
    moved: dict[int, Block] = {}      # by identity (the blocks are kept, so ids stay theirs)
    page = 0
    y: float | None = None            # None: no page begun

    def add(block: Block, at: float) -> bool:
        nonlocal y
        if at - bottom <= 0:
            return False
        h = block.wrap(room_width, at - bottom)[1]
        if at - h < bottom - FUZZ:
            return False
        canv.saveState()
        canv.translate(left, at - h)
        block.draw(canv)
        canv.restoreState()
        y = at - h - block.space_after
        return True

    while queue:
        if y is None:
            page += 1
            begin_page(canv)
            y = top
        block = queue.pop(0)
        if add(block, y):
            continue
        parts = block.split(room_width, y - bottom) if y - bottom > 0 else []
        if parts:
            if not add(parts[0], y):
                raise LayoutFailed(page)
            queue[0:0] = parts[1:]
        elif id(block) in moved:
            raise LayoutFailed(page)
        else:
            moved[id(block)] = block
            queue.insert(0, block)
            end_page(canv, page)
            canv.showPage()
            y = None
    if y is not None:
        end_page(canv, page)
        canv.showPage()
    return page
