#!/usr/bin/env bash
# Opens Replenish Desk in demo mode: the built-in cabinet simulator plays the three-drinks session.
# Pass another scenario as the first argument, e.g. `scripts/demo.sh large`.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-debian.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo run --locked -p replenish-desk -- --demo --demo-scenario "${1:-three-drinks}"
