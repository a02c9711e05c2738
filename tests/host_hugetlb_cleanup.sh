#!/usr/bin/env bash
# --allow-system-changes cleanup (docs/host.md): a `config hugetlb=N` scenario on
# the host runs with /proc/sys/vm/nr_hugepages raised by N; SIGTERM, SIGINT and
# SIGKILL to the runner mid-scenario must put the old value back (after SIGKILL,
# the next run with the flag does, from /var/tmp/mmsim-hugetlb-<pid>) and leave
# no record file and no worker. A global change: registered with ctest only
# when configured with MMSIM_SYSTEM_TESTS=1 in the environment, never in CI.
# Usage (root, by hand): tests/host_hugetlb_cleanup.sh build/mmsim
set -euo pipefail
mmsim=$1
dir=$(mktemp -d /tmp/mmsim-hugetlb-cleanup-XXXXXX)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 0; }
free=$(awk '/^HugePages_Free:/ {print $2}' /proc/meminfo)
[ "$free" = 0 ] || { echo "SKIP: the machine already has free huge pages"; exit 0; }
old=$(cat /proc/sys/vm/nr_hugepages)
{
  echo "scenario t-hugetlb-cleanup"
  echo "config hugetlb=2"
  echo "P0: mmap A 1 rw hugetlb"
  for i in $(seq 1 200); do echo "P0: write A = $i"; done
} > "$dir/long.mm"
records() { ls /var/tmp | grep -c '^mmsim-hugetlb-' || true; }
for sig in TERM INT KILL; do
  "$mmsim" run --host --allow-system-changes --host-step-delay-ms 20 "$dir/long.mm" > "$dir/out" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do [ "$(cat /proc/sys/vm/nr_hugepages)" != "$old" ] && break; sleep 0.02; done
  [ "$(cat /proc/sys/vm/nr_hugepages)" = $((old + 2)) ] || fail "SIG$sig: the pool was never raised"
  sleep 0.3
  kill -s "$sig" "$pid"
  wait "$pid" 2>/dev/null || true
  if [ "$sig" = KILL ]; then
    [ "$(records)" -gt 0 ] || fail "SIGKILL: no record file for the next run"
    # The next run with the flag puts the old value back and deletes the record.
    sleep 0.3
    "$mmsim" run --host --allow-system-changes "$(dirname "$0")/../scenarios/cow-hugetlb/basic-cow-after-fork-with-hugetlb.mm" > /dev/null
  fi
  [ "$(cat /proc/sys/vm/nr_hugepages)" = "$old" ] || fail "SIG$sig: nr_hugepages $(cat /proc/sys/vm/nr_hugepages), was $old"
  [ "$(records)" -eq 0 ] || fail "SIG$sig: record file left in /var/tmp"
  pgrep -g "$pid" > /dev/null 2>&1 && fail "SIG$sig: workers left"
  echo "ok: SIG$sig"
done
echo "PASS"
