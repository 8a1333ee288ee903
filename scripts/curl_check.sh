#!/usr/bin/env bash
# Check a running `pygen serve` with curl: the routes answer what
# the project says they answer (README, "The send-driven HTTP server").
#
#   cargo run --release -- serve --impl nightly --addr 127.0.0.1:8080 &
#   scripts/curl_check.sh 127.0.0.1:8080
#
# Waits up to 30 s for the server to come up, then checks `GET /`,
# `GET /fib?n=10`, `POST /echo` (with a Content-Length body and with a
# chunked one), a 404, a 405 and a 400. Prints one line per check and
# exits non-zero at the first failure (curl's own exit status where curl
# fails, 1 where an answer is wrong).
set -euo pipefail

addr=${1:?usage: scripts/curl_check.sh HOST:PORT}
base="http://$addr"
curl=(curl --silent --show-error --max-time 10)

# The server may still be starting.
for _ in $(seq 300); do
    if "${curl[@]}" --output /dev/null "$base/" 2>/dev/null; then
        break
    fi
    sleep 0.1
done

fail() {
    echo "FAIL: $1" >&2
    echo "  expected: $(printf '%q' "$2")" >&2
    echo "  got:      $(printf '%q' "$3")" >&2
    exit 1
}

# expect NAME EXPECTED ACTUAL
expect() {
    if [ "$2" != "$3" ]; then
        fail "$1" "$2" "$3"
    fi
    echo "ok: $1"
}

# --fail: curl exits non-zero (22) on a 4xx or 5xx, which set -e turns
# into this script's failure.
body=$("${curl[@]}" --fail "$base/")
expect "GET / says Hello, World!" "Hello, World!" "$body"

body=$("${curl[@]}" --fail "$base/fib?n=10")
expect "GET /fib?n=10 streams ten numbers" $'0\n1\n1\n2\n3\n5\n8\n13\n21\n34' "$body"

headers=$("${curl[@]}" --fail --dump-header - --output /dev/null "$base/fib?n=3")
case "$headers" in
*[Tt]ransfer-[Ee]ncoding:\ chunked*) echo "ok: /fib is chunked" ;;
*) fail "/fib is chunked" "Transfer-Encoding: chunked" "$headers" ;;
esac

body=$("${curl[@]}" --fail --data-binary 'ping pong' "$base/echo")
expect "POST /echo sends the body back" "ping pong" "$body"

body=$(printf 'sent in chunks' | "${curl[@]}" --fail --header 'Transfer-Encoding: chunked' \
    --data-binary @- "$base/echo")
expect "POST /echo with a chunked body" "sent in chunks" "$body"

status=$("${curl[@]}" --output /dev/null --write-out '%{http_code}' "$base/nowhere")
expect "GET /nowhere is 404" 404 "$status"

status=$("${curl[@]}" --output /dev/null --write-out '%{http_code}' --request DELETE "$base/")
expect "DELETE / is 405" 405 "$status"

status=$("${curl[@]}" --output /dev/null --write-out '%{http_code}' "$base/fib?n=ten")
expect "GET /fib?n=ten is 400" 400 "$status"

echo "all checks passed against $addr"
