#!/usr/bin/env bash
# Debian packages the tests need: Chromium (browser tests), npm (axe-core), poppler-utils (PDF pages to PNG),
# PostgreSQL server binaries (store tests on a real server), tmux (terminal tests), and for
# server mode's tests Caddy (HTTPS in front), PgBouncer (pooling) and NSS's certutil (the
# browser trusts Caddy's local CA). Installed when missing and root. When another apt/dpkg process holds the package lock (unattended
# upgrades, a second `make test`), it waits for it, bounded and saying so, instead of failing.
#
#   bash scripts/system-deps.sh              check, and install what is missing
#   bash scripts/system-deps.sh --wait-only  only wait for the package lock (used by the tests)
#   bash scripts/system-deps.sh --list-missing  print the missing packages, install nothing
#
# NIGHTLEAF_APT_WAIT (seconds, default 300) bounds the wait; NIGHTLEAF_APT_LOCKS (colon-
# separated files) overrides the lock files checked; NIGHTLEAF_SBIN (default /usr/sbin) is
# where pgbouncer is looked for when it is not on PATH (a user's PATH often lacks sbin).
set -euo pipefail

APT_WAIT=${NIGHTLEAF_APT_WAIT:-300}
IFS=: read -r -a APT_LOCKS <<< "${NIGHTLEAF_APT_LOCKS:-/var/lib/dpkg/lock-frontend:/var/lib/dpkg/lock:/var/lib/apt/lists/lock}"

lock_holder() {
  # prints the first lock file another process holds (dpkg and apt take fcntl locks on them)
  local f
  for f in "${APT_LOCKS[@]}"; do
    [ -e "$f" ] || continue
    if command -v fuser >/dev/null 2>&1; then
      if fuser "$f" >/dev/null 2>&1; then echo "$f"; return 0; fi
    elif ! python3 - "$f" <<'PY' 2>/dev/null
import fcntl, sys
with open(sys.argv[1], "a") as fh:
    fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released at once when the file closes
PY
    then echo "$f"; return 0
    fi
  done
  return 1
}

wait_for_apt_lock() {
  local waited=0 held
  while held=$(lock_holder); do
    if [ "$waited" -eq 0 ]; then
      echo "another apt/dpkg process holds $held; waiting for it (up to ${APT_WAIT}s)..." >&2
    fi
    if [ "$waited" -ge "$APT_WAIT" ]; then
      echo "gave up after ${APT_WAIT}s: $held is still held by another apt/dpkg process;" \
           "run again when it has finished (or set NIGHTLEAF_APT_WAIT)" >&2
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
    if [ $((waited % 15)) -eq 0 ]; then echo "  still waiting for $held (${waited}s)" >&2; fi
  done
  if [ "$waited" -gt 0 ]; then echo "the package lock is free after ${waited}s" >&2; fi
}

if [ "${1:-}" = "--wait-only" ]; then
  wait_for_apt_lock
  exit $?
fi

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 \
  || missing+=(postgresql)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v npm >/dev/null 2>&1 || missing+=(npm)  # axe-core for the accessibility tests
command -v caddy >/dev/null 2>&1 || missing+=(caddy)  # HTTPS in front of server mode
SBIN=${NIGHTLEAF_SBIN:-/usr/sbin}
command -v pgbouncer >/dev/null 2>&1 || [ -x "$SBIN/pgbouncer" ] || missing+=(pgbouncer)
command -v certutil >/dev/null 2>&1 || missing+=(libnss3-tools)  # Chromium trusts Caddy's CA
if [ "${1:-}" = "--list-missing" ]; then
  if [ ${#missing[@]} -gt 0 ]; then echo "${missing[*]}"; fi
  exit 0
fi
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "nightleaf tests need these Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
wait_for_apt_lock
# apt's own lock timeout covers a process that takes the lock between our check and apt-get
apt-get -o DPkg::Lock::Timeout="$APT_WAIT" update -qq
apt-get -o DPkg::Lock::Timeout="$APT_WAIT" install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null
