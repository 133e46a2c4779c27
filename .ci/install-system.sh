#!/usr/bin/env bash
# Installs the Debian packages the tests need, once, through apt (never `playwright install`, which
# downloads a browser build from a CDN):
# - chromium, chromium-driver: the browser tests (tests/test_ui_browser.py);
# - fonts-noto-cjk: rendering Chinese pages for the OCR test and readable screenshots;
# - libreoffice-writer-nogui: reading .doc/.wps reports and making test .doc files.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && command -v soffice >/dev/null \
    && [ -d /usr/share/fonts/opentype/noto ]; then
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends \
    chromium chromium-driver fonts-noto-cjk libreoffice-writer-nogui >/dev/null
/usr/bin/chromium --version 2>/dev/null
soffice --version 2>/dev/null
