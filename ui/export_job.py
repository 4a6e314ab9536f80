"""PDF/Word export and page preview off the GUI thread, so the window stays responsive
(the export itself is ``app.export.export``, the same as the CLI's).

The preview renders the exported PDF itself with pypdfium2 (PySide6-Essentials has no
QtPdf module): what the user sees in the app is the very file that would be emailed.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6 import QtCore, QtGui

from app.report import Report

_FONT_NOTES_SAID: set[str] = set()


def new_font_notes(notes: list[str]) -> list[str]:
    """The notes about stand-in faces not yet shown in this run: the window says each once."""
    fresh = [n for n in notes if n not in _FONT_NOTES_SAID]
    _FONT_NOTES_SAID.update(fresh)
    return fresh


def render_pages(pdf_path: Path, width_px: int) -> list[QtGui.QImage]:
    """Every page of a PDF as an image ``width_px`` wide."""
    import pypdfium2 as pdfium  # loaded only for the preview

    images = []
    doc = pdfium.PdfDocument(str(pdf_path))
    try:
        for i in range(len(doc)):
            page = doc[i]
            scale = width_px / page.get_width()
            bitmap = page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True)
            fmt = QtGui.QImage.Format.Format_RGBX8888 if bitmap.n_channels == 4 else QtGui.QImage.Format.Format_RGB888
            image = QtGui.QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, fmt).copy()
            images.append(image)
            page.close()
    finally:
        doc.close()
    return images


def failure_message(exc: Exception, context: str) -> str:
    """What the window says when a job failed. A refusal the program knows (an export or
    import refused, a file that cannot be written) says why in its own Chinese words; any
    other exception is a bug: its traceback goes to a log file, and the message says so
    and names the file (``app.crashlog.bug_message``, as the command line does)."""
    from app.crashlog import bug_message  # loaded only when something failed
    from app.exchange import ExchangeError
    from app.export import ExportError
    from app.files import os_reason
    from app.importer import ImportFailure
    if isinstance(exc, (ExportError, ExchangeError, ImportFailure)):
        return str(exc)
    if isinstance(exc, OSError):
        return os_reason(exc)
    return bug_message(exc, context)


class _Job(QtCore.QObject):
    done = QtCore.Signal(object)     # result
    failed = QtCore.Signal(str)      # Chinese message

    def __init__(self, fn, *args) -> None:
        super().__init__()
        self.fn, self.args = fn, args

    def run(self) -> None:
        try:
            self.done.emit(self.fn(*self.args))
        except Exception as exc:  # noqa: BLE001 - said in Chinese; a bug's traceback is logged
            fn = getattr(self.fn, "func", self.fn)          # the function of a partial
            self.failed.emit(failure_message(exc, f"后台任务：{getattr(fn, '__qualname__', fn)}"))


class Worker(QtCore.QObject):
    """Runs one function at a time in a thread; ``done``/``failed`` arrive on the GUI thread."""

    done = QtCore.Signal(object)
    failed = QtCore.Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._thread: QtCore.QThread | None = None
        self._job: _Job | None = None

    def busy(self) -> bool:
        return self._thread is not None

    def start(self, fn, *args) -> None:
        thread = QtCore.QThread()
        job = _Job(fn, *args)
        job.moveToThread(thread)
        thread.started.connect(job.run)
        job.done.connect(self._finish_ok)
        job.failed.connect(self._finish_fail)
        self._thread, self._job = thread, job
        thread.start()

    def wait(self, ms: int = 60000) -> None:
        """Block until the job has reported (its result is delivered on this thread)."""
        timer = QtCore.QElapsedTimer()
        timer.start()
        while self._thread is not None and timer.elapsed() < ms:
            QtCore.QCoreApplication.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50)
            QtCore.QThread.msleep(5)

    def _cleanup(self) -> None:
        if self._thread:
            self._thread.quit()
            self._thread.wait()
        self._thread = self._job = None

    def _finish_ok(self, result) -> None:
        self._cleanup()
        self.done.emit(result)

    def _finish_fail(self, message: str) -> None:
        self._cleanup()
        self.failed.emit(message)


def preview_images(report: Report, width_px: int) -> list[QtGui.QImage]:
    """Export to a temporary file (as 草稿 when it has errors) and render its pages."""
    from app.export import export
    from app.rules import errors, validate
    findings = validate(report)
    with tempfile.TemporaryDirectory(prefix="nianbao-preview-") as tmp:
        path = Path(tmp) / "preview.pdf"
        export(report, path, draft=bool(errors(findings)), findings=findings)
        return render_pages(path, width_px)
