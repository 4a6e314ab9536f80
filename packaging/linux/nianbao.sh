#!/bin/sh
# 政府信息公开年报的启动脚本（打包时复制为 dist/nianbao/nianbao）：先检查处理器和 glibc 版本，
# 不合适时用中文说明原因，而不是让程序在启动 Qt 时报出难懂的英文错误；合适时运行 nianbao.bin。
# Start script of the Linux bundle: checks the CPU and glibc first and says in Chinese why
# the program cannot run (instead of a cryptic error from the loader or Qt), else runs
# nianbao.bin with the same arguments. build.sh fills in the two values below, measured
# from the bundled libraries (objdump -T) and the build machine.
NEED_GLIBC=@NEED_GLIBC@
ARCH=@ARCH@
TITLE=政府信息公开年报
here=$(dirname "$(readlink -f "$0")")

# Tell the user: on stderr, and in a window when started from the menu (no terminal).
tell() {
  printf '%s\n' "$1" >&2
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ ! -t 2 ]; then
    zenity --error --no-wrap --title="$TITLE" --text="$1" 2>/dev/null ||
      kdialog --title "$TITLE" --error "$1" 2>/dev/null ||
      xmessage -center "$1" 2>/dev/null ||
      notify-send "$TITLE" "$1" 2>/dev/null
  fi
  return 0
}

# "2.28" older than "2.36"?
older() {
  a_major=${1%%.*} a_minor=${1#*.} b_major=${2%%.*} b_minor=${2#*.}
  [ "$a_major" -lt "$b_major" ] || { [ "$a_major" -eq "$b_major" ] && [ "${a_minor%%.*}" -lt "${b_minor%%.*}" ]; }
}

machine=$(uname -m 2>/dev/null)
if [ -n "$machine" ] && [ "$machine" != "$ARCH" ]; then
  tell "${TITLE}无法在这台电脑上运行：这个版本只适用于 $ARCH 处理器（Intel、AMD、兆芯、海光），
本机的处理器是 $machine（如飞腾、鲲鹏、龙芯）。请向发放程序的单位索取适用于 $machine 的版本，或使用 Windows 版。"
  exit 2
fi

have=$(getconf GNU_LIBC_VERSION 2>/dev/null | sed -n 's/^glibc \([0-9][0-9]*\.[0-9][0-9]*\).*/\1/p')
[ -n "$have" ] || have=$(ldd --version 2>/dev/null | sed -n '1s/.* \([0-9][0-9]*\.[0-9][0-9]*\)$/\1/p')
if [ -z "$have" ]; then
  printf '%s\n' "提示：无法确定本机的 glibc 版本（需要 $NEED_GLIBC 或更新），仍尝试启动。" >&2
elif older "$have" "$NEED_GLIBC"; then
  tell "${TITLE}无法在这个系统上运行：需要 glibc $NEED_GLIBC 或更新的 Linux 系统（如 Debian 12、Ubuntu 24.04 或更新版本），
本机的 glibc 是 $have。统信 UOS V20、银河麒麟 V10 等较早的系统版本请升级系统，或使用 Windows 版。"
  exit 2
fi

exec "$here/nianbao.bin" "$@"
