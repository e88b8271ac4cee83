#!/usr/bin/env bash
# Installs the real tools the integration tests drive, idempotently:
#  - toxiproxy-server (the Toxiproxy link driver's server), built with `go install`
#  - kcat (used by operators and the lab docs to inspect brokers)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -f mirror/install-toxiproxy.sh ]; then
  bash mirror/install-toxiproxy.sh
fi

apt_install() {
  # installs Debian packages whose command is missing; apt-get update once
  local missing=()
  for spec in "$@"; do
    local cmd="${spec%%:*}" pkg="${spec##*:}"
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "install-prerequisites: need root to install ${missing[*]}" >&2
    return 1
  fi
  local SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
}
apt_install kcat:kcat
