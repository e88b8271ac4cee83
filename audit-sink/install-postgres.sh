#!/usr/bin/env bash
# Installs the PostgreSQL server binaries the audit-sink integration tests start (initdb, pg_ctl,
# postgres), from the Debian 'postgresql' package, only if initdb is not already there. Idempotent.
# No cluster is created and nothing is started: each test run initdb's a throwaway server under
# audit-sink/target/postgres on a free loopback port and stops it at the end. As root, the tests run
# the PostgreSQL binaries as the 'postgres' user (initdb refuses root), which the package creates.
set -euo pipefail

find_initdb() {
  command -v initdb 2>/dev/null && return 0
  ls -1d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 | grep . && return 0
  return 1
}

if found="$(find_initdb)"; then
  echo "install-postgres: initdb found at $found"
else
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-postgres: need root (or sudo) to install postgresql" >&2; exit 1; }
    SUDO=sudo
  fi
  # the package would otherwise create and start a 'main' cluster on port 5432: the tests need neither
  $SUDO mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.d/netsplit-no-main-cluster.conf >/dev/null
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  found="$(find_initdb)" || { echo "install-postgres: postgresql installed but initdb not found" >&2; exit 1; }
  echo "install-postgres: installed PostgreSQL; initdb at $found"
fi

# as root the tests need the 'postgres' user; the package creates it, an image may not have it
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  echo "install-postgres: created user postgres"
fi
