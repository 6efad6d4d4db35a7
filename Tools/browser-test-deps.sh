#!/usr/bin/env bash
# Installs what the browser test needs, only when missing (safe to run again):
#   chromium + chromium-driver (Debian), a CJK font so Chinese renders in screenshots,
#   and the Python packages selenium and pytest.
set -euo pipefail

apt_packages=()
command -v chromium >/dev/null 2>&1 || apt_packages+=(chromium)
command -v chromedriver >/dev/null 2>&1 || apt_packages+=(chromium-driver)
fc-list 2>/dev/null | grep -qiE 'wenquanyi|noto sans cjk|source han sans' || apt_packages+=(fonts-wqy-microhei)

if ((${#apt_packages[@]})); then
  echo "browser-test-deps: installing ${apt_packages[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${apt_packages[@]}"
fi

python3 - <<'PY' 2>/dev/null || { echo "browser-test-deps: installing selenium and pytest"; python3 -m pip install --quiet "selenium>=4.11" pytest; }
import selenium, pytest  # noqa: F401
major, minor = (int(x) for x in selenium.__version__.split(".")[:2])
assert (major, minor) >= (4, 11)
PY
