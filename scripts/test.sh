#!/usr/bin/env bash
# Runs every check and test of Replenish Desk: formatting, clippy, the unit and integration tests
# of every crate, the fuzz targets for a bounded time, the window tests of the real app under
# Xvfb, the signed and installed .deb, and finally a scan of everything the run printed for test tokens.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-debian.sh
export PATH="$HOME/.cargo/bin:$PATH"

mkdir -p target
log=target/test-run.log

run_checks() {
  echo "== cargo fmt --check"
  cargo fmt --all --check

  echo "== cargo clippy"
  cargo clippy --workspace --all-targets --locked -- -D warnings

  echo "== unit and integration tests"
  cargo test --workspace --exclude window-tests --locked

  echo "== fuzz targets, 30 s each"
  scripts/fuzz.sh 30

  echo "== window tests (the real app under Xvfb, through tauri-driver)"
  # The update test signs its package with a key from the Tauri CLI, pinned in package-lock.json.
  npm ci --no-audit --no-fund
  cargo build -p replenish-desk --locked
  rm -rf target/e2e-screenshots
  xvfb-run --auto-servernum --server-args="-screen 0 1280x800x24" \
    cargo test -p window-tests --locked -- --test-threads=1
  echo "Screenshots: target/e2e-screenshots/"

  echo "== installed .deb: build, sign, verify, install, run, remove (needs root or sudo)"
  scripts/package-test.sh
}

# Everything printed goes to the log too, so the scan below sees every line of the run.
run_checks 2>&1 | tee "$log"

echo "== token scan"
scan_paths=("$log" target/e2e-screenshots)
if [[ -d fuzz/artifacts ]]; then
  scan_paths+=(fuzz/artifacts)
fi
scripts/scan-token.sh "${scan_paths[@]}"
