#!/usr/bin/env bash
# Installs what building, running and testing Replenish Desk needs on Debian or Ubuntu: the
# WebKitGTK build libraries, Xvfb and WebKitWebDriver for the window tests, a CJK font, Node.js and
# npm for the Tauri CLI, GnuPG for the package test, and tauri-driver. Each step is skipped when
# its part is already there, so running it twice is cheap.
set -euo pipefail

packages=(
  build-essential pkg-config curl file
  libwebkit2gtk-4.1-dev libsoup-3.0-dev librsvg2-dev libayatana-appindicator3-dev libssl-dev
  xvfb xauth webkit2gtk-driver fonts-noto-cjk gnupg
  # dbus-daemon for the window tests, which run each app on a private session bus where the
  # single-instance plugin finds the running window. Package "dbus" provides it on Debian 12 and
  # Ubuntu 22.04 alike.
  dbus
)

# The Tauri CLI (icons, installers) comes from npm, pinned in package-lock.json. Debian 12's
# Node.js 18 and npm 9 run it. A Node.js installed another way is used as it is.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "sudo is not installed: run this script as root once, or install sudo, then run it again" >&2
      exit 1
    fi
    sudo_cmd=(sudo)
  fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is missing: install Rust from https://rustup.rs, then run this again" >&2
  exit 1
fi

# Tauri 2.12 and the other locked dependencies need Rust 1.90 or newer; Debian's own rustc is older.
required_rust="1.90"
current_rust=$(rustc --version | awk '{print $2}')
if [ "$(printf '%s\n%s\n' "$required_rust" "$current_rust" | sort -V | head -n 1)" != "$required_rust" ]; then
  echo "rustc $current_rust is older than $required_rust: run 'rustup update stable' (or install Rust from https://rustup.rs), then run this again" >&2
  exit 1
fi

for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    echo "Installing the Rust component $component"
    rustup component add "$component"
  fi
done

if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "Installing tauri-driver"
  cargo install tauri-driver --locked
fi
