#!/usr/bin/env bash
# End-to-end checks of `mmsim explore` (docs/explorer.md):
#
#   tests/explore_cli.sh MMSIM
#
# exit 1 and a counterexample --out that `mmsim run` fails (exit 1) and that is
# byte-for-byte the same on a second run; exit 0 under linux-6.18; shards that
# `--merge` combines; exit 2 on bad input.
set -u
if [[ $# -ne 1 ]]; then
  echo "usage: $0 MMSIM" >&2
  exit 2
fi
MMSIM=$1
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }
expect_rc() {  # NAME WANT CMD...
  local name=$1 want=$2
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [[ $rc -eq $want ]]; then ok "$name"; else bad "$name" "exit $rc, want $want"; sed 's/^/       /' "$tmp/err" | head -5; fi
}

LEAK=(--profile linux-5.7 --ops mmap,write,fork,munmap,vmsplice,pipe-read --procs 3 --depth 8 --quiet)
expect_rc "5.7 vmsplice leak found (exit 1)" 1 "$MMSIM" explore "${LEAK[@]}" --out "$tmp/a.mm"
expect_rc "counterexample fails under mmsim run (exit 1)" 1 "$MMSIM" run --profile linux-5.7 "$tmp/a.mm"
grep -q "leaks is 1" "$tmp/out" && ok "replay reports the leak" || bad "replay reports the leak" "$(cat "$tmp/out")"
expect_rc "counterexample passes under linux-6.18" 0 "$MMSIM" run --profile linux-6.18 "$tmp/a.mm"
cp "$tmp/a.mm" "$tmp/first.mm"
"$MMSIM" explore "${LEAK[@]}" --out "$tmp/a.mm" >/dev/null 2>&1
cmp -s "$tmp/a.mm" "$tmp/first.mm" && ok "same file byte for byte" || bad "same file byte for byte" "differs"
grep -q "^# command: mmsim explore --profile linux-5.7" "$tmp/a.mm" && grep -q "seed 0" "$tmp/a.mm" &&
  ok "header echoes command, profile, seed" || bad "header echoes command, profile, seed" "$(head -5 "$tmp/a.mm")"

expect_rc "5.9 clear_refs found (exit 1)" 1 "$MMSIM" explore --profile linux-5.9 --ops mmap,write,pin,clear_refs --quiet --out "$tmp/c.mm"
expect_rc "clear_refs counterexample fails under 5.9" 1 "$MMSIM" run --profile linux-5.9 "$tmp/c.mm"
expect_rc "6.18: nothing within the bound (exit 0)" 0 "$MMSIM" explore --profile linux-6.18 --depth 5 --quiet

# Shards, then --merge: the same verdict as one run.
for i in 0 1 2; do
  "$MMSIM" explore "${LEAK[@]}" --shard $i/3 --json >"$tmp/s$i.json" 2>/dev/null
done
expect_rc "merge of three shards finds the leak (exit 1)" 1 "$MMSIM" explore --merge "$tmp/s0.json" "$tmp/s1.json" "$tmp/s2.json" --out "$tmp/m.mm"
expect_rc "merged counterexample fails under 5.7" 1 "$MMSIM" run --profile linux-5.7 "$tmp/m.mm"
"$MMSIM" explore --merge "$tmp/s0.json" "$tmp/s2.json" >"$tmp/out" 2>&1
grep -q "incomplete" "$tmp/out" && ok "merge says when shards are missing" || bad "merge says when shards are missing" "$(cat "$tmp/out")"
for i in 0 1; do
  "$MMSIM" explore --profile linux-6.18 --depth 4 --shard $i/2 --json >"$tmp/t$i.json" 2>/dev/null
done
expect_rc "merge of clean shards (exit 0)" 0 "$MMSIM" explore --merge "$tmp/t0.json" "$tmp/t1.json"
expect_rc "merge of different searches is bad input" 2 "$MMSIM" explore --merge "$tmp/t0.json" "$tmp/s1.json"

# getrandom state reuse under droppable=refill with a fixed refill token; none under 6.18.
REUSE=(--profile linux-6.18 --ops mmap-droppable-refill,getrandom,fork --procs 2 --depth 4 --invariants no-state-reuse --quiet)
expect_rc "refill 7: state reuse found (exit 1)" 1 "$MMSIM" explore "${REUSE[@]}" --policy droppable=refill --out "$tmp/r.mm"
expect_rc "reuse counterexample fails under droppable=refill" 1 "$MMSIM" run --profile linux-6.18 --policy droppable=refill "$tmp/r.mm"
grep -q "state_reuse" "$tmp/out" && ok "replay reports the reuse" || bad "replay reports the reuse" "$(cat "$tmp/out")"
expect_rc "6.18: no state reuse (exit 0)" 0 "$MMSIM" explore "${REUSE[@]}"
expect_rc "pinned: droppable swapped (exit 1)" 1 "$MMSIM" explore --profile linux-6.18 --policy droppable=pinned \
  --ops mmap-droppable,write,fork,reclaim --procs 2 --depth 5 --config swap=4 --quiet --out "$tmp/p.mm"
grep -q "swap=4" "$tmp/p.mm" && ok "--config reaches the counterexample" || bad "--config reaches the counterexample" "$(head -12 "$tmp/p.mm")"
expect_rc "bad --config key" 2 "$MMSIM" explore --config color=blue
expect_rc "bad --config form" 2 "$MMSIM" explore --config swap

expect_rc "unknown profile" 2 "$MMSIM" explore --profile linux-9.9
expect_rc "unknown op" 2 "$MMSIM" explore --ops mmap,fly
expect_rc "bad shard" 2 "$MMSIM" explore --shard 2/2
expect_rc "bad budget" 2 "$MMSIM" explore --budget 10x
expect_rc "unavailable invariant" 2 "$MMSIM" explore --invariants gmem-private-unreachable
expect_rc "missing seed scenario" 2 "$MMSIM" explore /nonexistent.mm
printf 'P0: mmap A 1 rw\nP0: memfd F 1\n' >"$tmp/seed.mm"
expect_rc "seed with an op the explorer cannot drive" 2 "$MMSIM" explore "$tmp/seed.mm"
grep -q "seed.mm:2" "$tmp/err" && ok "names file:line" || bad "names file:line" "$(cat "$tmp/err")"

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
