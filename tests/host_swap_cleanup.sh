#!/usr/bin/env bash
# --allow-system-changes cleanup (docs/host.md): a `config swap=N` scenario on
# the host runs with a temporary swapfile; SIGTERM, SIGINT and SIGKILL to the
# runner mid-scenario must leave no swap device and no swapfile (after SIGKILL,
# the next run with the flag removes the stale one). It turns swap on for a few
# seconds, a global change: registered with ctest only when configured with
# MMSIM_SYSTEM_TESTS=1 in the environment, never in CI.
# Usage (root, by hand): tests/host_swap_cleanup.sh build/mmsim
set -euo pipefail
mmsim=$1
dir=$(mktemp -d /tmp/mmsim-swap-cleanup-XXXXXX)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 0; }
grep -q . <(tail -n +2 /proc/swaps) && { echo "SKIP: the machine already has swap"; exit 0; }
{
  echo "scenario t-swap-cleanup"
  echo "config swap=4"
  echo "P0: mmap A 2 rw"
  for i in $(seq 1 100); do echo "P0: write A = $i"; echo "P0: madvise A pageout"; done
} > "$dir/long.mm"
leftovers() { tail -n +2 /proc/swaps | grep -c mmsim-swap- || true; }
files() { ls /var/tmp | grep -c '^mmsim-swap-' || true; }
for sig in TERM INT KILL; do
  "$mmsim" run --host --allow-system-changes --host-step-delay-ms 20 "$dir/long.mm" > "$dir/out" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do [ "$(leftovers)" -gt 0 ] && break; sleep 0.02; done
  [ "$(leftovers)" -gt 0 ] || fail "SIG$sig: the swapfile never came on"
  sleep 0.3
  kill -s "$sig" "$pid"
  wait "$pid" 2>/dev/null || true
  if [ "$sig" = KILL ]; then
    # The next run with the flag turns the stale swapfile off and deletes it.
    "$mmsim" run --host --allow-system-changes "$(dirname "$0")/../scenarios/reclaim/swap-exhaustion.mm" > /dev/null
  fi
  [ "$(leftovers)" -eq 0 ] || fail "SIG$sig: swap still on: $(cat /proc/swaps)"
  [ "$(files)" -eq 0 ] || fail "SIG$sig: swapfile left in /var/tmp"
  pgrep -g "$pid" > /dev/null 2>&1 && fail "SIG$sig: workers left"
  echo "ok: SIG$sig"
done
echo "PASS"
