"""The version resource of nianbao.exe and nianbao-cli.exe: what Explorer shows under
属性 → 详细信息, and the name Task Manager gives the running program.

PyInstaller takes it as a text file in the format ``pyi-grab_version`` writes (Python
expressions it evaluates); packaging/nianbao.spec writes one per executable on Windows.
The version numbers come from the package (``app.__version__``), nowhere else.
"""
from __future__ import annotations

import re

PRODUCT = "政府信息公开年报"
STRING_TABLE = "080404B0"     # zh-CN (0x0804), Unicode (code page 1200 = 0x04B0)


def version_numbers(version: str) -> tuple[int, int, int, int]:
    """``0.1.0`` → (0, 1, 0, 0): the four 16-bit numbers Windows compares."""
    numbers = [int(n) for n in re.findall(r"\d+", version)[:4]]
    return tuple(numbers + [0] * (4 - len(numbers)))  # type: ignore[return-value]


def version_info_text(version: str, exe: str, description: str) -> str:
    numbers = version_numbers(version)
    strings = {
        "CompanyName": "nianbao",
        "FileDescription": description,
        "FileVersion": version,
        "InternalName": exe,
        "LegalCopyright": "MIT 许可证",
        "OriginalFilename": f"{exe}.exe",
        "ProductName": PRODUCT,
        "ProductVersion": version,
    }
    table = ",\n        ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""# -*- coding: utf-8 -*-
VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0,
                    OS=0x40004, fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable({STRING_TABLE!r}, [
        {table}])]),
    VarFileInfo([VarStruct('Translation', [0x0804, 1200])]),
  ])
"""
