#!/usr/bin/env bash
# Fails when a test token appears in any output or file a test run left behind: the run's own
# log (every line the tests, the app, the CLI and the simulator printed), the screenshots and
# the fuzz artifacts. Each test that writes a data folder also scans that folder itself before
# the folder is removed; this catches what reaches standard output and error.
#
# Usage: scripts/scan-token.sh PATH...
set -euo pipefail

# The simulator's token, which every session test uses, and the tokens the token-masking tests
# feed through the client.
tokens=(
  "sim-token-3f9a2c7e81"
  "journal+token/with=odd&chars~1234"
  "tok+en/with=special&chars~0123456789ABCDEF"
  "LinkTokenMustStayHidden42"
)

found=0
for token in "${tokens[@]}"; do
  if matches=$(grep -rlaF -- "$token" "$@" 2>/dev/null); then
    echo "token \"${token:0:4}…\" found in:" >&2
    echo "$matches" >&2
    found=1
  fi
done

if [[ $found -ne 0 ]]; then
  echo "scan-token: a token reached the output above; mask it where it is logged or printed" >&2
  exit 1
fi
echo "scan-token: no test token in $*"
