#!/usr/bin/env bash
# Set up everything nianbao needs on this machine, idempotently:
#  1. Debian packages (fonts for the PDF, Qt's xcb libraries, Xvfb, poppler, locales) when
#     apt-get is there and we may use it (root or sudo without a password), and the
#     zh_CN.GB18030 locale the tests use;
#  2. the virtual environment .venv/ at the repository root with nianbao and its test
#     dependencies installed (re-installed only when pyproject.toml changes).
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  # CJK fonts that reportlab can embed (TrueType): 宋体-like, 黑体-like, 楷体-like
  fonts-arphic-uming fonts-wqy-microhei fonts-arphic-ukai fontconfig
  # the smaller 宋体-like font (5 MB, Arphic licence) the packaged build ships
  fonts-arphic-gbsn00lp
  # Qt's xcb platform plugin
  libglib2.0-0 libegl1 libgl1 libfontconfig1 libfreetype6 libdbus-1-3 libx11-6
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-render0 libxcb-shape0
  libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libx11-xcb1 libxcb1
  # a virtual screen for tests and screenshots; PDF checks
  xvfb xauth x11-apps poppler-utils poppler-data
  # the GB18030 locale of the tests' second pass (as on Chinese Windows), made below
  locales
  # packaging/build.sh: PyInstaller strips with binutils, the glibc check reads objdump -T
  binutils
)

install_debian_packages() {
  command -v apt-get >/dev/null 2>&1 || return 0
  command -v dpkg-query >/dev/null 2>&1 || return 0
  local missing=()
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if sudo -n true 2>/dev/null; then sudo=(sudo -n); else
      echo "setup: these Debian packages are missing and I may not install them: ${missing[*]}" >&2
      echo "setup: ask an administrator to run: apt-get install ${missing[*]}" >&2
      return 0
    fi
  fi
  echo "setup: installing Debian packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# test.sh runs part of the suite under LC_ALL=zh_CN.GB18030 (Python's default encoding is
# then GB18030, as on Chinese Windows). Debian ships the definition, not the compiled locale.
install_gb18030_locale() {
  locale -a 2>/dev/null | grep -qix 'zh_CN.gb18030' && return 0
  command -v localedef >/dev/null 2>&1 || return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo -n true 2>/dev/null || return 0
    sudo=(sudo -n)
  fi
  echo "setup: making the locale zh_CN.GB18030"
  "${sudo[@]}" localedef -i zh_CN -f GB18030 zh_CN.GB18030
}

install_python_env() {
  local py=${PYTHON:-python3}
  if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    "$py" -m venv .venv
  fi
  local stamp=.venv/.nianbao-installed
  local want
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "setup: installing nianbao and its dependencies into .venv"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e '.[test]'
    echo "$want" > "$stamp"
  fi
}

install_debian_packages
install_gb18030_locale
install_python_env
