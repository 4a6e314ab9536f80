"""What every part of the store shares: whether it may write, and what to tell the user."""
from __future__ import annotations

from app.store.errors import ReadOnlyStoreError


class StoreStatus:
    def __init__(self, read_only: bool) -> None:
        self.read_only = read_only
        """Another copy holds the lock, the folder cannot be written, or a repair the disk
        refused: drafts can be read, not saved."""
        self.notices: list[str] = []

    def notify(self, message: str) -> None:
        """Add a message for the user (once: a read-only copy may meet the same damage again).

        Most notices arise while opening; a damaged draft found later by ``load`` adds one
        too, so the window should look at ``notices`` again after opening a draft.
        """
        if message not in self.notices:
            self.notices.append(message)

    def require_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyStoreError(
                "草稿库正由另一个 nianbao 使用（或文件夹无法写入），现在是只读的，不能保存。"
                "请在那个窗口中继续编辑，或关闭它后重新打开本程序。")
