"""检查与导出: all findings by section, warning acknowledgements, PDF preview, export as
PDF (the file that is emailed) or Word (for offices that want to edit the text further).

Errors block only the final export: the report can still be exported as 草稿 (marked on
every page) to show a colleague. Warnings may be acknowledged as 已核实 with a reason;
the acknowledgement is kept with the draft (in its extras) and shown here.
"""
from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt

from app.export import ReportHasErrors, export, refuse_if_errors
from app.filenames import safe_filename
from app.rules import errors
from ui.export_job import Worker, new_font_notes, preview_images
from ui.findings_view import FindingsTree
from ui.save_dialog import ask_save_path
from ui.session import Session
from ui.steps import StepPage

PREVIEW_WIDTH = 520
EXPORT_KINDS = {".pdf": "PDF", ".docx": "Word"}


class CheckPage(StepPage):
    exported = QtCore.Signal(str)
    ask_after_export = True
    """After an export, ask whether to open the file or its folder (tests switch it off)."""

    def __init__(self, session: Session) -> None:
        super().__init__(session, "检查与导出")
        self.summary = QtWidgets.QLabel()
        self.summary.setWordWrap(True)
        self.box.addWidget(self.summary)
        hint = QtWidgets.QLabel("点击一条（或选中后按回车）可跳到要修改的位置；警告所说的情况核实无误的，"
                                "选中它再点“标为已核实…”写明理由。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#444")
        self.box.addWidget(self.note_line(hint))
        split = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        left = QtWidgets.QWidget()
        lbox = QtWidgets.QVBoxLayout(left)
        lbox.setContentsMargins(0, 0, 0, 0)
        self.tree = FindingsTree(session, grouped=True)
        lbox.addWidget(self.tree, 1)
        acks = QtWidgets.QHBoxLayout()
        self.ack_button = QtWidgets.QPushButton("标为已核实…")
        self.ack_button.setToolTip("警告所说的情况确实如此（例如上年数字本来就不一致）时，标为已核实并写明原因")
        self.unack_button = QtWidgets.QPushButton("取消核实")
        self.ack_button.clicked.connect(self.acknowledge_selected)
        self.unack_button.clicked.connect(self.unacknowledge_selected)
        acks.addWidget(self.ack_button)
        acks.addWidget(self.unack_button)
        acks.addStretch(1)
        lbox.addLayout(acks)
        exp = QtWidgets.QHBoxLayout()
        self.export_button = QtWidgets.QPushButton("导出 PDF…")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(lambda: self.export_clicked(".pdf"))
        self.docx_button = QtWidgets.QPushButton("导出 Word（.docx）…")
        self.docx_button.setToolTip("导出可编辑的 Word 文档；报送时仍以 PDF 为准")
        self.docx_button.clicked.connect(lambda: self.export_clicked(".docx"))
        self.preview_button = QtWidgets.QPushButton("刷新预览")
        self.preview_button.clicked.connect(self.refresh_preview)
        exp.addWidget(self.export_button)
        exp.addWidget(self.docx_button)
        exp.addWidget(self.preview_button)
        exp.addStretch(1)
        lbox.addLayout(exp)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.hide()
        lbox.addWidget(self.progress)
        split.addWidget(left)
        self.pages = QtWidgets.QWidget()
        self.pages_box = QtWidgets.QVBoxLayout(self.pages)
        self.pages_box.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.preview_note = QtWidgets.QLabel("预览：进入本页时生成")
        self.pages_box.addWidget(self.preview_note)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.pages)
        scroll.setMinimumWidth(200)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        split.addWidget(scroll)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 0)
        split.setSizes([500, PREVIEW_WIDTH + 40])
        self.box.addWidget(split, 1)
        self.preview_images: list[QtGui.QImage] = []
        self._preview_scale = 1.0
        self.last_export: Path | None = None
        self._preview_worker = Worker(self)
        self._preview_worker.done.connect(self._show_preview)
        self._preview_worker.failed.connect(self._preview_failed)
        self._export_worker = Worker(self)
        self._export_worker.done.connect(self._exported)
        self._export_worker.failed.connect(self._export_failed)
        self._preview_stale = True
        session.findingsChanged.connect(self._update_summary)
        session.edited.connect(self._mark_stale)
        self._update_summary()

    # -------------------------------------------------------------- summary, acks
    def _update_summary(self) -> None:
        fs = self.session.findings
        n_err = len(errors(fs))
        warnings = [f for f in fs if f.severity == "warning"]
        acked = sum(self.session.acknowledgement(f) is not None for f in warnings)
        if n_err:
            text = (f"还有 {n_err} 个错误：改正后才能导出正式报告（可以先导出草稿）。"
                    f"警告 {len(warnings)} 个，其中已核实 {acked} 个。")
            self.summary.setStyleSheet("color:#8a0000;font-weight:bold")
        else:
            text = f"没有错误，可以导出正式报告。警告 {len(warnings)} 个，其中已核实 {acked} 个。"
            self.summary.setStyleSheet("color:#0a5c0a;font-weight:bold")
        self.summary.setText(text)

    def acknowledge_selected(self) -> None:
        finding = self.tree.selected_finding()
        if finding is None or finding.severity != "warning":
            self.message.show_problem("请先在列表中选中一条警告（错误不能标为已核实，只能改正）")
            return
        reason, ok = QtWidgets.QInputDialog.getText(
            self, "标为已核实", f"{finding.message}\n\n核实情况或原因（可不填）：",
            text=self.session.acknowledgement(finding) or "")
        if ok:
            self.session.acknowledge(finding, reason)
            self.message.show_info("已标为已核实，并随草稿保存")

    def unacknowledge_selected(self) -> None:
        finding = self.tree.selected_finding()
        if finding is not None:
            self.session.unacknowledge(finding)

    # -------------------------------------------------------------- preview
    def _mark_stale(self, *_):
        self._preview_stale = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._preview_stale:
            self.refresh_preview()

    def refresh_preview(self) -> None:
        if self._preview_worker.busy():
            return
        self._preview_stale = False
        self.preview_note.setText("正在生成预览…")
        self.preview_note.show()
        self.progress.show()
        self._preview_scale = self.devicePixelRatioF()    # sharp on a scaled screen
        self._preview_worker.start(preview_images, self.session.report.copy(),
                                   round(PREVIEW_WIDTH * self._preview_scale))

    def _show_preview(self, images) -> None:
        self.progress.setVisible(self._export_worker.busy())
        while self.pages_box.count() > 1:
            w = self.pages_box.takeAt(1).widget()
            if w:
                w.deleteLater()
        self.preview_images = images
        self.preview_note.setText(f"预览（共 {len(images)} 页，与导出的 PDF 相同）")
        for i, image in enumerate(images):
            page = PageImage(image, self._preview_scale)
            page.setAccessibleName(f"第 {i + 1} 页")
            self.pages_box.addWidget(page)

    def _preview_failed(self, message: str) -> None:
        self.progress.setVisible(self._export_worker.busy())
        self.preview_note.setText(f"无法生成预览：{message}")

    # -------------------------------------------------------------- export
    def export_clicked(self, suffix: str = ".pdf") -> None:
        """Ask for the file (and, with errors, whether to export a 草稿) and export."""
        draft = False
        n_err = len(errors(self.session.findings))
        if n_err:
            box = QtWidgets.QMessageBox(self)
            box.setIcon(QtWidgets.QMessageBox.Icon.Warning)
            box.setWindowTitle("还有错误")
            box.setText(f"报告还有 {n_err} 个错误，不能导出正式报告。")
            box.setInformativeText("可以先导出草稿（每页标有“草稿”字样），改正错误后再导出正式报告。")
            as_draft = box.addButton("导出草稿", QtWidgets.QMessageBox.ButtonRole.AcceptRole)
            box.addButton("取消", QtWidgets.QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is not as_draft:
                return
            draft = True
        kind = EXPORT_KINDS[suffix]
        path = ask_save_path(self, f"导出 {kind}", str(self._default_path(draft, suffix)),
                             f"{kind} 文件 (*{suffix})", (suffix,))
        if path:
            self.export_to(path, draft)

    def _default_path(self, draft: bool, suffix: str = ".pdf") -> Path:
        name = safe_filename(self.session.report.title + ("（草稿）" if draft else ""), suffix)
        docs = QtCore.QStandardPaths.writableLocation(QtCore.QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(docs or Path.home()) / name

    def export_to(self, path: Path, draft: bool) -> bool:
        """Export in the background as PDF or, for a ``.docx`` path, Word; refuses a final
        export while the report has errors."""
        try:
            refuse_if_errors(self.session.findings, draft)
        except ReportHasErrors as exc:
            self.message.show_problem(str(exc))
            return False
        if self._export_worker.busy():
            return False
        self.session.save()
        self._set_export_buttons(False)
        self.progress.show()
        self.message.show_info(f"正在导出 {EXPORT_KINDS.get(path.suffix.lower(), 'PDF')}…")
        job = partial(export, draft=draft, findings=list(self.session.findings))
        self._export_worker.start(job, self.session.report.copy(), path)
        return True

    def wait_for_export(self) -> None:
        self._export_worker.wait()

    def wait_for_preview(self) -> None:
        self._preview_worker.wait()

    def finish_jobs(self) -> None:
        self.wait_for_export()
        self.wait_for_preview()

    def _set_export_buttons(self, enabled: bool) -> None:
        self.export_button.setEnabled(enabled)
        self.docx_button.setEnabled(enabled)

    def _exported(self, done) -> None:
        self._set_export_buttons(True)
        self.progress.setVisible(self._preview_worker.busy())
        path = self.last_export = done.path
        kind = "草稿" if done.draft else "正式报告"
        notes = "".join(f"\n{n}" for n in new_font_notes(done.font_notes))
        counts = f"。{done.counts()}" if done.counts() else ""
        self.message.show_info(f"已导出{kind}：{path}{counts}{notes}")
        self.exported.emit(str(path))
        if self.ask_after_export:
            self._offer_open(path)

    def _offer_open(self, path: Path) -> None:
        box = QtWidgets.QMessageBox(self)
        box.setWindowTitle("导出完成")
        box.setText(f"已导出：\n{path}")
        open_file = box.addButton("打开文件", QtWidgets.QMessageBox.ButtonRole.AcceptRole)
        open_dir = box.addButton("打开所在文件夹", QtWidgets.QMessageBox.ButtonRole.ActionRole)
        box.addButton("关闭", QtWidgets.QMessageBox.ButtonRole.RejectRole)
        box.exec()
        target = path if box.clickedButton() is open_file else path.parent if box.clickedButton() is open_dir else None
        if target is not None:
            QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(str(target)))

    def _export_failed(self, message: str) -> None:
        self._set_export_buttons(True)
        self.progress.setVisible(self._preview_worker.busy())
        self.message.show_problem(f"导出失败：{message}")


class PageImage(QtWidgets.QWidget):
    """One page of the preview: as wide as the preview area allows (at most its rendered
    width), drawn from an image rendered at the screen's pixel ratio, so it stays sharp
    on a scaled screen and is never cut off on a narrow one."""

    def __init__(self, image: QtGui.QImage, scale: float) -> None:
        super().__init__()
        self.image = image
        self.natural = QtCore.QSize(round(image.width() / scale), round(image.height() / scale))
        policy = QtWidgets.QSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred,
                                       QtWidgets.QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMaximumWidth(self.natural.width())
        self.setMinimumWidth(120)

    def sizeHint(self) -> QtCore.QSize:
        return self.natural

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return round(width * self.image.height() / self.image.width())

    def paintEvent(self, event) -> None:
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(self.rect(), self.image)
        painter.setPen(QtGui.QColor("#999"))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
