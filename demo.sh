#!/usr/bin/env bash
# The main job, runnable on a laptop:
#  1. the local drill: real HAProxy and Prometheus on loopback, keep-alive load, a faulty canary caught
#     and rolled back on its own, 100 rollbacks timed, a healthy canary promoted; HTML report written;
#  2. exact restore: record two builds of the example release, put the newer one live in a local
#     directory target, show what restoring the older one changes, restore it, restore it again: 0 writes.
# Installs haproxy and prometheus when missing (apt-get; run as root or with sudo rights).
set -euo pipefail
cd "$(dirname "$0")"
ex=docs/examples/shop
work="${DEMO_DIR:-$(mktemp -d -t rollback-demo.XXXXXX)}"
step() { printf '\n== %s\n' "$*"; }

step "building the CLI"
mvn -B -ntp -q -pl rollback-cli -am package -DskipTests
rb() { java -jar rollback-cli/target/rollback-cli.jar "$@"; }
step "the local drill (about a minute)"
rb drill --report "$work/drill.html"

common=(--store "$work/records")
record=(--target shop-local --namespace shop --digests "$ex/digests.yaml")

step "recording build shop#41 (the good one) and shop#42 (the new one)"
rb record "${common[@]}" "${record[@]}" --build shop#41 --build-url https://ci.example.com/job/shop/41/ --manifests "$ex/build-41/app.yaml,$ex/build-41/service.json"
rb record "${common[@]}" "${record[@]}" --build shop#42 --build-url https://ci.example.com/job/shop/42/ --manifests "$ex/build-42/app.yaml,$ex/build-42/service.json"
rb history "${common[@]}" --target shop-local

step "putting shop#42 live in the local target $work/live"
rb rollback --skip-digest-check "${common[@]}" --live-dir "$work/live" --to shop#42

step "what rolling back to shop#41 would change"
rb diff "${common[@]}" --live-dir "$work/live" shop#41

step "rolling back to shop#41 (with --prune: shop#42's extra ConfigMap goes too)"
rb rollback --skip-digest-check "${common[@]}" --live-dir "$work/live" --to shop#41 --prune

step "rolling back to shop#41 again: must make 0 writes"
out=$(rb --json rollback --skip-digest-check "${common[@]}" --live-dir "$work/live" --to shop#41 --prune)
echo "$out"
if ! grep -q '"writes" : 0' <<<"$out"; then
  echo "FAILED: the second restore made writes" >&2
  exit 1
fi
step "done: drill report $work/drill.html, records in $work/records, live objects in $work/live"
