#!/usr/bin/env bash
# Install the Debian packages gongkai needs when they are missing.
# As root: apt-get installs them. Otherwise: stop with the exact command to run.
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "缺少系统软件包 (missing system packages): ${missing[*]}" >&2
  echo "请以 root 运行 (run as root): apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "安装系统软件包 (installing): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
