#!/bin/bash
# Container health check without curl: GET http://127.0.0.1:8080<path> over bash's /dev/tcp;
# healthy when the status is 200 and, if given, the body contains <expected>.
#   healthcheck.sh /health [RUNNING]
set -uo pipefail
path="${1:-/health}"
expected="${2:-}"
exec 3<>/dev/tcp/127.0.0.1/8080 || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
response="$(timeout 4 cat <&3)"
exec 3<&-
status="$(printf '%s' "$response" | head -n1 | awk '{print $2}')"
[ "$status" = "200" ] || exit 1
[ -z "$expected" ] || printf '%s' "$response" | grep -q "$expected"
