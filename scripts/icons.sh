#!/usr/bin/env bash
# Generates every icon size of the app from icons/icon.svg with `tauri icon` (the Tauri CLI pinned
# in package.json). The app is desktop only, so the Android and iOS sets that the CLI also writes
# are removed again.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund
npx tauri icon icons/icon.svg
rm -rf icons/android icons/ios
