"""The dialog of an unexpected error (``ui.errors`` installs the hook that shows it): the
draft was saved, where the log file is, and a button that copies the details."""
from __future__ import annotations

from pathlib import Path

from PySide6 import QtWidgets


class ErrorDialog(QtWidgets.QMessageBox):
    def __init__(self, details: str, log_path: Path | None, saved: bool, parent=None) -> None:
        super().__init__(parent)
        self.setIcon(QtWidgets.QMessageBox.Icon.Critical)
        self.setWindowTitle("程序出现意外错误")
        self.setText("很抱歉，程序遇到了一个意外错误。")
        info = ["您正在编辑的报告已自动保存。" if saved else "",
                f"错误的详细信息已记录在：\n{log_path}" if log_path else "错误的详细信息无法写入日志文件。",
                "可以继续使用；如果问题反复出现，请点“复制详细信息”，发给技术支持人员。"]
        self.setInformativeText("\n".join(i for i in info if i))
        self.setDetailedText(details)
        self.copy_button = self.addButton("复制详细信息", QtWidgets.QMessageBox.ButtonRole.ActionRole)
        self.copy_button.clicked.disconnect()
        self.copy_button.clicked.connect(self.copy_details)
        self.addButton("关闭", QtWidgets.QMessageBox.ButtonRole.AcceptRole)
        self.details = details

    def copy_details(self) -> None:
        QtWidgets.QApplication.clipboard().setText(self.details)
        self.copy_button.setText("已复制")
