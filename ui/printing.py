"""打印 (Ctrl+P): the pages of the exported PDF on paper, through Qt's print dialog.

What is printed is the very PDF the report exports (a 草稿 while it has errors, as in the
preview), rendered by pypdfium2 at the printer's resolution: PySide6-Essentials has no
QtPdf, and printing the PDF's pages keeps paper, preview and file alike.
"""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtPrintSupport import QPrintDialog, QPrinter

from app.report import Report
from ui.export_job import Worker, preview_images


class PrintJob(QtCore.QObject):
    """Ask for the printer (unless one is given), render the pages off the GUI thread,
    then paint them; ``message`` says what happened (status bar)."""

    message = QtCore.Signal(str)
    finished = QtCore.Signal(int)     # pages printed (0: cancelled or failed)

    def __init__(self, parent: QtWidgets.QWidget, report: Report, printer: QPrinter | None = None) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.report = report
        self.printer = printer
        self.worker = Worker(self)
        self.worker.done.connect(self._paint)
        self.worker.failed.connect(self._failed)

    def start(self) -> None:
        if self.printer is None:
            self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            self.printer.setDocName(self.report.title)
            dialog = QPrintDialog(self.printer, self.parent_widget)
            dialog.setWindowTitle("打印年报")
            if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
                self.finished.emit(0)
                return
        self.printer.setFullPage(True)      # the PDF's pages carry their own margins
        width = int(self.printer.paperRect(QPrinter.Unit.DevicePixel).width())
        self.message.emit("正在准备打印…")
        self.worker.start(preview_images, self.report, width)

    def _paint(self, images: list[QtGui.QImage]) -> None:
        painter = QtGui.QPainter()
        if not painter.begin(self.printer):
            self._failed("打印机无法开始打印")
            return
        paper = self.printer.paperRect(QPrinter.Unit.DevicePixel).toRect()
        for i, image in enumerate(images):
            if i:
                self.printer.newPage()
            size = image.size().scaled(paper.size(), QtCore.Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QtCore.QRect(QtCore.QPoint(0, 0), size), image)
        painter.end()
        self.message.emit(f"已送去打印：共 {len(images)} 页")
        self.finished.emit(len(images))

    def _failed(self, message: str) -> None:
        self.message.emit(f"无法打印：{message}")
        self.finished.emit(0)
