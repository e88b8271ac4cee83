#!/usr/bin/env bash
# Installs toxiproxy-server (Shopify/toxiproxy v2.12.0) into /usr/local/bin, built from source with Go.
# Idempotent: does nothing when a toxiproxy-server is already on the PATH.
# Used by .ci/run and by anyone who wants the lab's Toxiproxy link driver (else the lab uses the embedded one).
set -euo pipefail

VERSION="v2.12.0"
DEST="${TOXIPROXY_INSTALL_DIR:-/usr/local/bin}"

if command -v toxiproxy-server >/dev/null 2>&1; then
  echo "toxiproxy-server already installed: $(command -v toxiproxy-server)"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "install-toxiproxy: Go is not installed (need 'go' on the PATH to build toxiproxy-server ${VERSION});" \
       "install Go, or put a toxiproxy-server binary on the PATH, or run the lab with lab.link.driver=embedded" >&2
  exit 1
fi

GOBIN_DIR="$(mktemp -d)"
trap 'rm -rf "$GOBIN_DIR"' EXIT
GOBIN="$GOBIN_DIR" go install "github.com/Shopify/toxiproxy/v2/cmd/server@${VERSION}"
install -m 755 "$GOBIN_DIR/server" "$DEST/toxiproxy-server"
echo "installed $DEST/toxiproxy-server ($("$DEST/toxiproxy-server" -version 2>&1 | head -1))"
