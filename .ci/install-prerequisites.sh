#!/usr/bin/env bash
# Installs the real tools the integration tests drive, idempotently:
#  - toxiproxy-server (the Toxiproxy link driver's server), built with `go install`
#  - PostgreSQL's server binaries (the audit store's second backend)
#  - kcat (used by operators and the lab docs to inspect brokers)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash mirror/install-toxiproxy.sh
bash audit-sink/install-postgres.sh

if ! command -v kcat >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq kcat >/dev/null
fi
