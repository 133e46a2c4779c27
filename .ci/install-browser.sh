#!/usr/bin/env bash
# Installs Debian's Chromium for the browser test (tests/test_ui_browser.py). Never `playwright install`:
# that downloads a browser build from a CDN; the distro package comes through apt like everything else.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
/usr/bin/chromium --version
