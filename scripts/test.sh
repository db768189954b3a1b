#!/usr/bin/env bash
# npm test: typecheck, lint, build, then every Vitest suite, inside a private D-Bus session with an
# unlocked gnome-keyring so the keychain tests use the real Secret Service, never the user's own.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${CE_TEST_SESSION:-}" ] && command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then
  export CE_TEST_SESSION=1
  exec dbus-run-session -- bash "$0" "$@"
fi
if [ -n "${CE_KEYRING_READY:-}" ]; then
  : # already set up by an outer run
elif [ -n "${CE_TEST_SESSION:-}" ]; then
  # A fresh keyring per run, unlocked with a throwaway password, in a temporary home.
  export XDG_DATA_HOME; XDG_DATA_HOME="$(mktemp -d)"
  eval "$(printf 'ce-test-keyring' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
  export CE_KEYRING_READY=1
else
  echo "note: dbus-run-session or gnome-keyring-daemon missing; keychain tests are skipped (and fail under CI=true; see .ci/run for the packages)" >&2
fi

echo "== typecheck"; npm run --silent typecheck
echo "== lint"; npm run --silent lint
echo "== build"; npm run --silent build
echo "== tests"
mkdir -p test-artifacts
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest.json "$@" || status=$?
# One plain closing line that any CI can read.
node -e '
  const r = JSON.parse(require("fs").readFileSync("test-artifacts/vitest.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' || true
exit $status
