#!/usr/bin/env bash
# Build the one-folder desktop application on Linux: dist/nianbao/ (run dist/nianbao/nianbao,
# a start script that checks glibc and the CPU, then runs dist/nianbao/nianbao.bin).
#
#   packaging/build.sh [DIST_DIR [WORK_DIR]]      defaults: dist  build/pyinstaller
#
# Steps: make sure PyInstaller is in the virtual environment; stage the free CJK fonts
# with their licence texts, copied from this machine's Debian packages into the bundle
# only (never into git); run PyInstaller with packaging/nianbao.spec; write the start
# script with the glibc version the bundled libraries need (objdump -T); print the size.
# Fonts: 宋体-like AR PL SungtiL GB (gbsn00lp.ttf, 5 MB, GB2312, Arphic Public License)
# rather than AR PL UMing (uming.ttc, 20 MB) to keep the build small (152 MB, 8 MB of it printing: Qt print support and CUPS); 黑体-like
# WenQuanYi Micro Hei (5 MB, 21,000 hanzi, Apache-2.0), which the PDF also uses for
# characters missing from the 宋体 font. Windows: see packaging/WINDOWS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
DIST=$(realpath -m "${1:-dist}")
WORK=$(realpath -m "${2:-build/pyinstaller}")

if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
  echo "build: installing PyInstaller into the virtual environment"
  "$PY" -m pip install -q "pyinstaller>=6.0"
fi

STAGE="$WORK/fonts"
rm -rf "$STAGE"
mkdir -p "$STAGE/LICENSES"

# stage_font FILE-NAME FONTCONFIG-FAMILY DEBIAN-PACKAGE
stage_font() {
  local name=$1 family=$2 pkg=$3 src=""
  for dir in /usr/share/fonts/truetype/arphic-gbsn00lp /usr/share/fonts/truetype/arphic \
             /usr/share/fonts/truetype/wqy; do
    [ -f "$dir/$name" ] && src="$dir/$name" && break
  done
  if [ -z "$src" ] && command -v fc-match >/dev/null; then
    src=$(fc-match -f '%{file}' "$family" 2>/dev/null || true)
    [ "$(basename "$src")" = "$name" ] || src=""
  fi
  if [ -z "$src" ]; then
    echo "build: WARNING: $name ($family) not found; install the Debian package $pkg." >&2
    echo "build:          The program will then use the fonts of the machine it runs on." >&2
    return 0
  fi
  cp "$src" "$STAGE/$name"
  if [ -f "/usr/share/doc/$pkg/copyright" ]; then
    cp "/usr/share/doc/$pkg/copyright" "$STAGE/LICENSES/$pkg.txt"
  else
    echo "build: WARNING: licence of $pkg not found; $name is not shipped." >&2
    rm -f "$STAGE/$name"
  fi
}
stage_font gbsn00lp.ttf "AR PL SungtiL GB" fonts-arphic-gbsn00lp
if [ ! -f "$STAGE/gbsn00lp.ttf" ]; then
  echo "build: using AR PL UMing instead (20 MB more; the build will be about 167 MB)" >&2
  stage_font uming.ttc "AR PL UMing CN" fonts-arphic-uming
fi
stage_font wqy-microhei.ttc "WenQuanYi Micro Hei" fonts-wqy-microhei
cat > "$STAGE/README.txt" <<'TXT'
这些字体随程序分发，供导出 PDF 时嵌入（许可证见 LICENSES/）：
  gbsn00lp.ttf      AR PL SungtiL GB（文鼎宋体，宋体风格）  Arphic Public License
  wqy-microhei.ttc  文泉驿微米黑（黑体风格）              Apache-2.0 或 GPL-3+（附字体例外）
These fonts ship with nianbao for embedding in exported PDFs; licences in LICENSES/.
TXT

start=$(date +%s)
NIANBAO_FONTS_STAGE="$STAGE" "$PY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" packaging/nianbao.spec
cp packaging/linux/install-desktop-entry.sh "$DIST/nianbao/"

# The start script dist/nianbao/nianbao checks the machine before running nianbao.bin: it
# needs the newest GLIBC_ symbol version any bundled library or program asks for.
if ! command -v objdump >/dev/null; then
  echo "build: objdump not found: install the Debian package binutils" >&2
  exit 1
fi
need_glibc=$( { find "$DIST/nianbao" -type f \( -name '*.so*' -o -name nianbao.bin \) \
                 -exec objdump -T {} + 2>/dev/null || true; } \
               | grep -o 'GLIBC_2\.[0-9]*' | sed 's/^GLIBC_//' | sort -t. -k2,2n -u | tail -n 1)
if [ -z "$need_glibc" ]; then
  echo "build: objdump found no GLIBC_ symbol versions in the bundle" >&2
  exit 1
fi
sed -e "s/@NEED_GLIBC@/$need_glibc/" -e "s/@ARCH@/$(uname -m)/" packaging/linux/nianbao.sh \
  > "$DIST/nianbao/nianbao"
chmod +x "$DIST/nianbao/nianbao"
echo "build: the bundle needs glibc >= $need_glibc on $(uname -m) (dist/nianbao/nianbao checks it)"
echo "build: done in $(( $(date +%s) - start )) s: $DIST/nianbao ($(du -sh "$DIST/nianbao" | cut -f1))"
