#!/usr/bin/env bash
# 在开始菜单和桌面上添加“政府信息公开年报”的图标（只对当前用户，不需要管理员权限）。
# Adds nianbao to the current user's application menu and desktop (no root needed).
# Run it from the unpacked program folder:  ./install-desktop-entry.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
mkdir -p "$apps"
entry="$apps/nianbao.desktop"
cat > "$entry" <<DESKTOP
[Desktop Entry]
Type=Application
Name=政府信息公开年报
Name[en]=nianbao
Comment=离线填写、检查、导出政府信息公开工作年度报告
Exec="$here/nianbao"
Icon=$here/_internal/resources/icons/nianbao.png
Terminal=false
Categories=Office;
DESKTOP
chmod +x "$entry"
desktop=$(xdg-user-dir DESKTOP 2>/dev/null || echo "$HOME/桌面")
where="开始菜单"
if [ -d "$desktop" ]; then
  where="开始菜单和桌面"
  cp "$entry" "$desktop/nianbao.desktop"
  chmod +x "$desktop/nianbao.desktop"
  command -v gio >/dev/null && gio set "$desktop/nianbao.desktop" metadata::trusted true 2>/dev/null || true
fi
echo "已添加“政府信息公开年报”到${where}。"
