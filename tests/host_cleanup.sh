#!/usr/bin/env bash
# SIGTERM to a host run mid-scenario must leave no worker process behind.
# Usage: host_cleanup.sh MMSIM
set -euo pipefail
mmsim=$1
dir=$(mktemp -d /tmp/mmsim-host-cleanup-XXXXXX)
trap 'rm -rf "$dir"' EXIT
{
  echo "P0: mmap A 2 rw"
  echo "P0: write A[0] = 1"
  echo "P0: fork P1"
  echo "P1: fork P2"
  for i in $(seq 1 200); do echo "P$((i % 3)): write A[1] = $i"; done
  echo "P0: read A[1] -> x"
  echo "expect x == 0"
} > "$dir/many-steps.mm"
"$mmsim" run --host --host-step-delay-ms 50 "$dir" > "$dir/out" 2>&1 &
runner=$!
# Wait until the runner and its three workers are up.
for _ in $(seq 1 100); do
  n=$(pgrep -f "$dir" | wc -l)
  [ "$n" -ge 4 ] && break
  sleep 0.05
done
echo "processes while running: $n"
[ "$n" -ge 4 ] || { echo "FAIL: expected the runner and 3 workers, saw $n"; cat "$dir/out"; exit 1; }
kill -TERM "$runner"
wait "$runner" || true
sleep 0.3
left=$(pgrep -f "$dir" || true)
if [ -n "$left" ]; then
  echo "FAIL: processes left behind: $left"
  ps -o pid,ppid,pgid,stat,cmd -p $left || true
  kill -KILL $left 2>/dev/null || true
  exit 1
fi
echo "PASS: no worker left after SIGTERM"
