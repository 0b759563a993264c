#!/bin/sh
# Installs the Debian packages the browser, PDF and OCR tests need, once. Idempotent.
set -e
need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v pdftoppm >/dev/null 2>&1 || need="$need poppler-utils"
command -v tesseract >/dev/null 2>&1 || need="$need tesseract-ocr"
[ -z "$need" ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: please install:$need (Debian packages); the tests that need them will fail" >&2
    exit 0
fi
echo "system-deps: installing$need"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends $need >/dev/null
