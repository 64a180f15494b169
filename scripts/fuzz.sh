#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ and runs each for a bounded time. Exits non-zero when a
# target crashes, panics, times out on one input or runs out of memory. libFuzzer then saves the
# input under fuzz/artifacts/TARGET/ and prints how to replay it.
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 30)
#
# The targets are built with `--sanitizer none`, so they work on the stable toolchain from
# rustup. cargo-fuzz passes `-Zsanitizer=address` by default, and stable rustc rejects every -Z
# flag ("the option `Z` is only accepted on the nightly compiler"). Without a sanitizer the other
# flags it passes (-Cpasses=sancov-module and the -Cllvm-args coverage options) are stable, so
# libFuzzer still gets coverage feedback. The code under test is safe Rust, where AddressSanitizer
# adds little; the price is that a memory error inside an unsafe block of a dependency shows up
# only if it crashes. RUSTC_BOOTSTRAP=1 would also unlock ASan on stable, but it makes stable
# behave as an unsupported nightly, so this script does not use it.
#
# `--debug-assertions` keeps overflow checks and debug_assert! on in the optimized build, so an
# arithmetic overflow on hostile input counts as a crash.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

seconds="${1:-30}"
targets=(frame_decode thumbnail)
build_flags=(--sanitizer none --debug-assertions)

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

echo "== building the fuzz targets"
cargo fuzz build "${build_flags[@]}"

failed=()
for target in "${targets[@]}"; do
  # New inputs go to fuzz/corpus/TARGET (not checked in); the checked-in seeds are only read.
  corpus="$PWD/fuzz/corpus/$target"
  seeds="$PWD/fuzz/seeds/$target"
  mkdir -p "$corpus"

  echo "== fuzzing $target for ${seconds} s"
  if ! cargo fuzz run "${build_flags[@]}" "$target" "$corpus" "$seeds" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1; then
    failed+=("$target")
  fi
done

if ((${#failed[@]} > 0)); then
  echo "fuzzing failed for: ${failed[*]} (inputs under fuzz/artifacts/)" >&2
  exit 1
fi
echo "fuzzing passed: ${targets[*]}, ${seconds} s each"
