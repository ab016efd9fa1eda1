#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a fresh, unlocked gnome-keyring, so keytar reaches a
# real Secret Service on machines without a desktop (CI, headless servers), and tests never touch the
# user's own keyring. Usage: scripts/with-keyring.sh CMD...
set -eu
if [ -n "${TESSERA_IN_KEYRING:-}" ]; then exec "$@"; fi
export TESSERA_IN_KEYRING=1
keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/tessera-keyring.XXXXXX")
trap 'rm -rf "$keyring_home"' EXIT
export TESSERA_KEYRING_HOME="$keyring_home"
dbus-run-session -- sh -c '
  printf %s "tessera-test-keyring" |
    XDG_DATA_HOME="$TESSERA_KEYRING_HOME" gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"' sh "$@" 2> >(grep -v "Failed to set fd limit" >&2 || true)
