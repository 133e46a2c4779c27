#!/usr/bin/env bash
# Installs Debian's Chromium for the browser test (tests/test_ui_browser.py). Never `playwright install`:
# that downloads a browser build from a CDN; the distro package comes through apt like everything else.
# fonts-wqy-microhei (5 MB) makes Chinese readable in the test's screenshots instead of empty boxes.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && [ -d /usr/share/fonts/truetype/wqy ]; then
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-wqy-microhei >/dev/null
/usr/bin/chromium --version 2>/dev/null
