#!/bin/sh
# The package as a user installs it: build the wheel, install it with the locked versions into a fresh
# virtualenv outside the checkout, and run the commands a new user runs first. Fails on the first problem.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}
work=$(mktemp -d)
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "wheel-check: building the wheel"
"$python" -m pip wheel -q --no-deps -w "$work/dist" "$root" >/dev/null
wheel=$(ls "$work"/dist/*.whl)
"$python" -m venv "$work/venv"
bin="$work/venv/bin"
# What a user installs: the package and its server extra, at the versions of the lock.
"$bin/python" -m pip install -q -c "$root/requirements.lock" "$wheel[server]"

# Run from a directory that has no policies/ and no redactor/ beside it.
cd "$work"
seed="$root/examples/seed-09STATE103113.txt"
echo "wheel-check: redactor policies"
"$bin/redactor" policies | tee policies.txt
grep -q '^public-release ' policies.txt
echo "wheel-check: redactor redact (text, json, pdf)"
"$bin/redactor" redact "$seed" --format text -o release.txt
grep -q '^UNCLASSIFIED$' release.txt
"$bin/redactor" redact "$seed" --format json -o release.json
"$bin/python" -c "import json, sys; r = json.load(open('release.json')); sys.exit(r['release']['disposition'] != 'RELEASE IN PART')"
"$bin/redactor" redact "$seed" --format pdf -o release.pdf
head -c 5 release.pdf | grep -q '%PDF-'

echo "wheel-check: redactor serve and /healthz"
port=$("$bin/python" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
"$bin/redactor" serve --host 127.0.0.1 --port "$port" --workers 1 2>serve.log &
server=$!
"$bin/python" - "$port" <<'EOF'
import json, sys, time, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/healthz"
for _ in range(120):
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            body = json.load(r)
            assert body["status"] == "ok", body
            print("wheel-check: /healthz", body)
            sys.exit(0)
    except OSError:
        time.sleep(0.5)
sys.exit("wheel-check: the server did not answer /healthz within 60 s")
EOF
echo "wheel-check: ok"
