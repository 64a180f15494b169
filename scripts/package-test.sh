#!/usr/bin/env bash
# Tests the Linux installer end to end. It builds the .deb and checks its size and
# contents. It signs the .deb with a throwaway GPG key, verifies the signature and checks that a
# tampered copy fails. It installs the .deb with dpkg and drives the installed app in demo mode
# under Xvfb through tauri-driver. Last, it removes the package and checks that the user's data
# folder is left in place.
#
# It needs root, or sudo, for dpkg. A replenish-desk package installed before the run is replaced
# and then removed. The app's user folders point at a scratch home for the run, so the real
# user's settings and records are not touched.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-debian.sh
export PATH="$HOME/.cargo/bin:$PATH"

# The size budget of the .deb, in bytes (10 MB).
max_deb_bytes=10000000
package=replenish-desk
identifier=$(node -p "require('./tauri.conf.json').identifier")
version=$(node -p "require('./tauri.conf.json').version")
arch=$(dpkg --print-architecture)

scratch=$(mktemp -d)
signer_home="$scratch/gnupg-signer"
verifier_home="$scratch/gnupg-verifier"
user_home="$scratch/home"
mkdir -m 700 "$signer_home" "$verifier_home"
mkdir -p "$user_home"

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "dpkg needs root: run this script as root, or install sudo, then run it again" >&2
    exit 1
  fi
  sudo_cmd=(sudo)
fi

installed_by_us=false
cleanup() {
  if $installed_by_us && dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
    echo "Removing $package after a failed run"
    "${sudo_cmd[@]}" dpkg -r "$package" >/dev/null || true
  fi
  # Each GNUPGHOME has its own gpg-agent, so both agents are stopped before their folders go.
  gpgconf --homedir "$signer_home" --kill all 2>/dev/null || true
  gpgconf --homedir "$verifier_home" --kill all 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

fail() {
  echo "FAILED: $*" >&2
  exit 1
}

echo "== .deb (tauri build --bundles deb, dist profile)"
npm ci --no-audit --no-fund
# A target directory of its own, so that the package build does not wait on the builds in target/
# (a `cargo bench` run locks target/release for its whole length).
package_target="$PWD/target/package"
# Updater artifacts are signed with the release key, which only the release workflow holds.
# The dist profile (top-level Cargo.toml) is the one the release workflow builds installers with.
CARGO_TARGET_DIR="$package_target" \
  npx tauri build --ci --bundles deb --config '{"bundle":{"createUpdaterArtifacts":false}}' \
  -- --profile dist

bundle_dir="$package_target/dist/bundle/deb"
debs=("$bundle_dir"/*_"${version}"_"${arch}".deb)
[ -f "${debs[0]}" ] || fail "no .deb for version $version and architecture $arch in $bundle_dir"
deb="${debs[0]}"
deb_bytes=$(stat -c %s "$deb")
echo "Built $deb: $deb_bytes bytes"
[ "$deb_bytes" -lt "$max_deb_bytes" ] || fail "$deb is $deb_bytes bytes, over the budget of $max_deb_bytes"

echo "== package contents"
[ "$(dpkg-deb -f "$deb" Package)" = "$package" ] || fail "the package is named $(dpkg-deb -f "$deb" Package), expected $package"
contents=$(dpkg-deb --fsys-tarfile "$deb" | tar -t | sed 's#^\./##')
for path in usr/bin/replenish-desk "usr/share/applications/Replenish Desk.desktop" \
  usr/share/icons/hicolor/32x32/apps/replenish-desk.png; do
  grep -qxF "$path" <<<"$contents" || fail "/$path is missing from $deb"
done

echo "== GPG signature with a throwaway key"
gpg_signer=(gpg --homedir "$signer_home" --batch --quiet --pinentry-mode loopback --passphrase '')
"${gpg_signer[@]}" --quick-generate-key "Replenish Desk package test <package-test@replenishdesk.invalid>" ed25519 sign 1d
"${gpg_signer[@]}" --yes --armor --detach-sign --output "$deb.asc" "$deb"
"${gpg_signer[@]}" --armor --export > "$scratch/public-key.asc"

# The check runs as a user's would, with only the public key, in a keyring of its own.
gpg_verifier=(gpg --homedir "$verifier_home" --batch --quiet)
"${gpg_verifier[@]}" --import "$scratch/public-key.asc"
"${gpg_verifier[@]}" --verify "$deb.asc" "$deb" || fail "the signature of $deb does not verify"
echo "Signature verified: $deb.asc"

# A copy with one byte changed in the middle must fail verification.
tampered="$scratch/tampered.deb"
cp "$deb" "$tampered"
offset=$((deb_bytes / 2))
byte=$(od -An -tu1 -j "$offset" -N 1 "$tampered" | tr -d ' ')
printf "\\$(printf '%03o' $(((byte + 1) % 256)))" | dd of="$tampered" bs=1 seek="$offset" conv=notrunc status=none
if "${gpg_verifier[@]}" --verify "$deb.asc" "$tampered" 2>/dev/null; then
  fail "a copy of $deb with byte $offset changed passed verification"
fi
echo "Tampered copy rejected"

echo "== dpkg -i"
installed_by_us=true
if ! "${sudo_cmd[@]}" dpkg -i "$deb"; then
  echo "dpkg reported missing dependencies: installing them with apt-get -f"
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -f -y -qq
fi
dpkg-query -W -f='${Status}' "$package" | grep -q "install ok installed" || fail "$package is not installed"
[ -x /usr/bin/replenish-desk ] || fail "/usr/bin/replenish-desk is missing after installation"
if command -v desktop-file-validate >/dev/null 2>&1; then
  desktop-file-validate "/usr/share/applications/Replenish Desk.desktop"
fi

echo "== the installed app in demo mode (Xvfb, tauri-driver)"
export XDG_DATA_HOME="$user_home/.local/share"
export XDG_CONFIG_HOME="$user_home/.config"
export XDG_CACHE_HOME="$user_home/.cache"
REPLENISH_DESK_INSTALLED=/usr/bin/replenish-desk \
  xvfb-run --auto-servernum --server-args="-screen 0 1280x800x24" \
  cargo test -p window-tests --locked --test installed -- --ignored --test-threads=1

data_folder="$XDG_DATA_HOME/$identifier"
records="$data_folder/records/records.sqlite3"
[ -f "$records" ] || fail "the installed app wrote no record store at $records"
records_sum=$(sha256sum "$records" | cut -d ' ' -f 1)

echo "== dpkg -r"
"${sudo_cmd[@]}" dpkg -r "$package"
installed_by_us=false
[ ! -e /usr/bin/replenish-desk ] || fail "/usr/bin/replenish-desk is still there after dpkg -r"
[ -d "$data_folder" ] || fail "dpkg -r removed the user's data folder $data_folder"
[ "$(sha256sum "$records" | cut -d ' ' -f 1)" = "$records_sum" ] || fail "dpkg -r changed $records"
echo "The user's data folder is left in place: $data_folder"
echo "Package test passed: $deb ($deb_bytes bytes)"
