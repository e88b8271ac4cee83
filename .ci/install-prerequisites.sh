#!/usr/bin/env bash
# Installs the real tools the integration tests drive, idempotently:
#  - toxiproxy-server (the Toxiproxy link driver's server), built with `go install`
#  - PostgreSQL's server binaries (the audit store's second backend)
#  - kcat (used by operators and the lab docs to inspect brokers)
#  - docker-compose (validates docker-compose.yml offline; no Docker engine is needed for `config`)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash mirror/install-toxiproxy.sh
bash audit-sink/install-postgres.sh

missing=()
command -v kcat >/dev/null 2>&1 || missing+=(kcat)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
