#!/bin/sh
# Installs the Debian packages redactor uses, once. Idempotent.
#   sh scripts/system-deps.sh          what the tests need: chromium (browser tests), poppler-utils, tesseract-ocr
#   sh scripts/system-deps.sh serve    what the service needs: tesseract-ocr (OCR of scanned PDFs)
set -e
need=""
command -v tesseract >/dev/null 2>&1 || need="$need tesseract-ocr"
if [ "${1:-test}" != serve ]; then
    command -v chromium >/dev/null 2>&1 || need="$need chromium"
    command -v pdftoppm >/dev/null 2>&1 || need="$need poppler-utils"
fi
[ -z "$need" ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: please install:$need (Debian packages); what needs them will fail" >&2
    exit 0
fi
echo "system-deps: installing$need"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends $need >/dev/null
