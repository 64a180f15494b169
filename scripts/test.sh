#!/usr/bin/env bash
# Runs every check and test of Replenish Desk: formatting, clippy, the unit and integration tests
# of every crate, then the window tests of the real app under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-debian.sh
export PATH="$HOME/.cargo/bin:$PATH"

echo "== cargo fmt --check"
cargo fmt --all --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== unit and integration tests"
cargo test --workspace --exclude window-tests --locked

echo "== window tests (the real app under Xvfb, through tauri-driver)"
# The update test signs its package with a key from the Tauri CLI, pinned in package-lock.json.
npm ci --no-audit --no-fund
cargo build -p replenish-desk --locked
rm -rf target/e2e-screenshots
xvfb-run --auto-servernum --server-args="-screen 0 1280x800x24" \
  cargo test -p window-tests --locked -- --test-threads=1
echo "Screenshots: target/e2e-screenshots/"
