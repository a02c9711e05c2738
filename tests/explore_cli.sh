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

# --report: the counterexample as one HTML page (steps, an inline SVG when graphviz is installed); --dot: its pictures.
expect_rc "--report on a violation (exit 1)" 1 "$MMSIM" explore "${LEAK[@]}" --out "$tmp/r1.mm" --report "$tmp/r1.html" --dot "$tmp/dots"
if [[ -s "$tmp/r1.html" ]] && grep -q "<html" "$tmp/r1.html" && grep -q "vmsplice A\[0\] -&gt; pipe p0\|vmsplice A\[0\] -> pipe p0" "$tmp/r1.html" &&
   grep -q "expect leaks == 0\|leaks == 0" "$tmp/r1.html"; then ok "report has the steps and the expectation"; else bad "report has the steps and the expectation" "$(head -c 300 "$tmp/r1.html")"; fi
if command -v dot >/dev/null; then
  grep -q "<svg" "$tmp/r1.html" && ok "report inlines SVG" || bad "report inlines SVG" "no <svg>"
  ls "$tmp/dots"/*.svg >/dev/null 2>&1 && ok "--dot writes SVG pictures" || bad "--dot writes SVG pictures" "$(ls "$tmp/dots")"
else
  grep -q "graphviz not installed" "$tmp/r1.html" && ok "report says graphviz is missing" || bad "report says graphviz is missing" ""
fi
ls "$tmp/dots"/*-step01.dot >/dev/null 2>&1 && ok "--dot writes one picture per step" || bad "--dot writes one picture per step" "$(ls "$tmp/dots" 2>&1)"
cp "$tmp/r1.html" "$tmp/r1-first.html"
"$MMSIM" explore "${LEAK[@]}" --out "$tmp/r1.mm" --report "$tmp/r1.html" --dot "$tmp/dots" >/dev/null 2>&1
cmp -s "$tmp/r1.html" "$tmp/r1-first.html" && ok "report byte for byte" || bad "report byte for byte" "differs"
expect_rc "no violation: no report (exit 0)" 0 "$MMSIM" explore --profile linux-6.18 --depth 3 --quiet --report "$tmp/none.html"
[[ ! -e "$tmp/none.html" ]] && ok "no report without a violation" || bad "no report without a violation" "written"

# guest_memfd: clean under 6.18 and in-place conversion; punching a pinned page loses coherence (S14).
GMEM=(--ops mmap-gmem,write,read,fork,pin,unpin,vmsplice,pipe-read,gmem-convert,gmem-punch,guest-write --procs 2 --depth 4
      --invariants gmem-private-unreachable,refcount,no-leak --quiet)
expect_rc "gmem: 6.18 clean (exit 0)" 0 "$MMSIM" explore --profile linux-6.18 "${GMEM[@]}"
expect_rc "gmem: in place clean (exit 0)" 0 "$MMSIM" explore --profile linux-6.18 --policy gmem-conversion=inplace "${GMEM[@]}"
expect_rc "gmem: punch under a pin (exit 1)" 1 "$MMSIM" explore --profile linux-6.18 --ops mmap-gmem,write,pin,gmem-punch \
  --procs 1 --depth 5 --invariants pin-coherent --quiet --out "$tmp/g.mm"
grep -q "P0: gmem G = create V" "$tmp/g.mm" && grep -q "fallocate G\[0\] punch" "$tmp/g.mm" &&
  ok "gmem counterexample has the setup and the punch" || bad "gmem counterexample has the setup and the punch" "$(cat "$tmp/g.mm")"
expect_rc "gmem counterexample fails under mmsim run" 1 "$MMSIM" run --profile linux-6.18 "$tmp/g.mm"

# THP: the THP vmsplice leak of 5.9-5.17 (cow-gup.md §7.7); symmetry is turned off and the summary says so.
THP=(--ops mmap-thp,write,fork,munmap,vmsplice,pipe-read --procs 2 --depth 7 --quiet)
expect_rc "THP leak under 5.9 (exit 1)" 1 "$MMSIM" explore --profile linux-5.9 "${THP[@]}" --out "$tmp/t.mm"
grep -q "symmetry reduction off" "$tmp/out" && ok "summary says symmetry is off" || bad "summary says symmetry is off" "$(cat "$tmp/out")"
grep -q "thp=always thp_order=2" "$tmp/t.mm" && ok "THP config in the counterexample" || bad "THP config in the counterexample" "$(head -12 "$tmp/t.mm")"
expect_rc "THP counterexample fails under 5.9" 1 "$MMSIM" run --profile linux-5.9 "$tmp/t.mm"
expect_rc "THP counterexample passes under 6.18" 0 "$MMSIM" run --profile linux-6.18 "$tmp/t.mm"
"$MMSIM" explore --profile linux-5.9 "${THP[@]}" --json >"$tmp/t.json" 2>/dev/null
grep -q '"symmetry":false' "$tmp/t.json" && grep -q '"symmetry_off":"THP can occur' "$tmp/t.json" && ok "JSON says symmetry is off" ||
  bad "JSON says symmetry is off" "$(head -c 400 "$tmp/t.json")"

expect_rc "unknown profile" 2 "$MMSIM" explore --profile linux-9.9
expect_rc "unknown op" 2 "$MMSIM" explore --ops mmap,fly
expect_rc "bad shard" 2 "$MMSIM" explore --shard 2/2
expect_rc "bad budget" 2 "$MMSIM" explore --budget 10x
expect_rc "unknown invariant" 2 "$MMSIM" explore --invariants gmem-private-reachable
grep -q "gmem-private-unreachable" "$tmp/err" && ok "the message names the known invariants" ||
  bad "the message names the known invariants" "$(cat "$tmp/err")"
expect_rc "missing seed scenario" 2 "$MMSIM" explore /nonexistent.mm
printf 'P0: mmap A 1 rw\nP0: memfd F 1\n' >"$tmp/seed.mm"
expect_rc "seed with an op the explorer cannot drive" 2 "$MMSIM" explore "$tmp/seed.mm"
grep -q "seed.mm:2" "$tmp/err" && ok "names file:line" || bad "names file:line" "$(cat "$tmp/err")"

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
