#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine. Tests that need real servers (Prometheus, HAProxy,
# an OCI registry, Chromium) install the Debian packages themselves when missing.
set -euo pipefail
cd "$(dirname "$0")"
exec mvn -B -ntp verify "$@"
