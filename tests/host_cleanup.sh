#!/usr/bin/env bash
# SIGTERM to a host run mid-scenario must leave no worker process behind, and
# a run killed while it holds O_DIRECT files and userfaultfds must leave no
# file behind (the O_DIRECT files are O_TMPFILE: never named on disk).
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

# The same with O_DIRECT files and a userfaultfd open, killed with SIGTERM and
# with SIGKILL (which the runner cannot catch: the kernel closes everything).
{
  echo "P0: mmap A 2 rw"
  echo "P0: write A = 1"
  echo "P0: odirect_write A -> file F"
  echo "P0: uffd_register A wp"
  echo "P0: fork P1"
  echo "P1: odirect_read A <- file F"
  for i in $(seq 1 200); do echo "P$((i % 2)): odirect_write A[0] -> file F"; done
  echo "P0: read A[1] -> x"
  echo "expect x == 1"
} > "$dir/odirect-steps.mm"
rm -f "$dir/many-steps.mm"
# Where the runner would create an O_DIRECT file (docs/host.md); /tmp is left
# out: other tests create their temporary directories there in parallel.
listing() { ls -A /var/tmp "$PWD" 2>/dev/null | grep -v "^Testing$" | sort; }
before=$(listing)
for sig in TERM KILL; do
  "$mmsim" run --host --host-step-delay-ms 20 "$dir" > "$dir/out" 2>&1 &
  runner=$!
  for _ in $(seq 1 100); do
    n=$(pgrep -f "$dir" | wc -l)
    [ "$n" -ge 3 ] && break
    sleep 0.05
  done
  [ "$n" -ge 3 ] || { echo "FAIL: expected the runner and 2 workers, saw $n"; cat "$dir/out"; exit 1; }
  sleep 0.3
  kill -"$sig" "$runner"
  wait "$runner" || true
  # After SIGKILL the workers follow: P0 by PR_SET_PDEATHSIG, P1 when its channel closes.
  for _ in $(seq 1 40); do [ -z "$(pgrep -f "$dir" || true)" ] && break; sleep 0.05; done
  left=$(pgrep -f "$dir" || true)
  if [ -n "$left" ]; then
    echo "FAIL: processes left behind after SIG$sig: $left"
    kill -KILL $left 2>/dev/null || true
    exit 1
  fi
  after=$(listing)
  if [ "$before" != "$after" ]; then
    echo "FAIL: files left behind after SIG$sig:"
    diff <(echo "$before") <(echo "$after") || true
    exit 1
  fi
  echo "PASS: no worker and no file left after SIG$sig (O_DIRECT files, userfaultfd)"
done
