#!/usr/bin/env bash
# `run --host` and `diff` in --json and --tap (docs/host.md, "Output formats"):
# every JSON line parses and has the expected fields; TAP has its version, plan
# and Totals lines and one test point per scenario; skips are `# SKIP`, a
# disagreement is `not ok` with the disagreements in the YAML block.
# Usage: host_formats.sh MMSIM SOURCE_DIR
set -euo pipefail
mmsim=$1
corpus=$2/scenarios/host
dir=$(mktemp -d /tmp/mmsim-host-formats-XXXXXX)
trap 'rm -rf "$dir"' EXIT
n=$(find "$corpus" -name '*.mm' | wc -l)
fail() { echo "FAIL: $*"; exit 1; }

# A scenario the host can only skip (a model-only probe).
cat > "$dir/all-skipped.mm" <<'EOF'
scenario t-all-skipped
P0: mmap A 1 rw
P0: write A[0] = 1
P0: refcount A[0] -> r
expect r == 1
EOF

check_tap() {  # FILE POINTS
  local f=$1 points=$2
  head -1 "$f" | grep -qx 'TAP version 13' || fail "$f: no 'TAP version 13' line"
  grep -qx "1\.\.$points" "$f" || fail "$f: no plan line 1..$points"
  grep -Eq '^# Totals: pass:[0-9]+ fail:[0-9]+ xfail:0 xpass:0 skip:[0-9]+ error:0$' "$f" || fail "$f: no Totals line"
  [ "$(grep -Ec '^(not )?ok [0-9]+ - ' "$f")" -eq "$points" ] || fail "$f: expected $points test points"
}

# run --host --json
"$mmsim" run --host --json "$corpus" > "$dir/run.json" || fail "run --host --json exited $?"
python3 - "$dir/run.json" "$n" <<'EOF' || fail "run --host --json: bad JSON"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
assert len(objs) == int(sys.argv[2]), len(objs)
for o in objs:
    for k in ("scenario", "file", "profile", "seed", "status", "errors", "expectations", "kernel", "features"):
        assert k in o, k
    # A sanitizer build skips the mlock family (AddressSanitizer makes it a no-op).
    asan_skip = o["status"] == "skipped" and all("AddressSanitizer" in e.get("reason", "") for e in o["expectations"])
    assert o["profile"] == "host" and (o["status"] == "pass" or asan_skip), o
    assert isinstance(o["features"], dict) and "io_uring" in o["features"]
    for e in o["expectations"]:
        for k in ("line", "text", "name", "op", "expected", "actual", "status"):
            assert k in e, k
    # Where the kernel has them, MAP_DROPPABLE and the vDSO getrandom run for
    # real: the host corpus's droppable/getrandom scenarios skip nothing.
    f = o["features"]
    if f.get("droppable") and f.get("vdso_getrandom") and f.get("io_uring") and f.get("pfn_visible") \
            and ("droppable" in o["file"] or "getrandom" in o["file"]):
        assert all(e["status"] == "pass" for e in o["expectations"]), o["file"]
EOF

# run --host --tap
"$mmsim" run --host --tap "$corpus" > "$dir/run.tap" || fail "run --host --tap exited $?"
check_tap "$dir/run.tap" "$n"
# (a sanitizer build skips the scenarios that need the real mlock family)
asan=$(grep -c 'SKIP .*AddressSanitizer' "$dir/run.tap" || true)
grep -q "^# Totals: pass:$((n - asan)) fail:0 " "$dir/run.tap" || fail "run --host --tap: expected pass:$((n - asan))"

# Skips: `# SKIP reason`, skip counted in Totals; status skipped + reason in JSON.
"$mmsim" run --host --tap "$dir/all-skipped.mm" > "$dir/skip.tap" || fail "all-skipped: exit $?"
check_tap "$dir/skip.tap" 1
grep -q '^ok 1 - .* # SKIP model-only probe$' "$dir/skip.tap" || fail "all-skipped: no '# SKIP model-only probe'"
grep -q '^# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:1 error:0$' "$dir/skip.tap" || fail "all-skipped: Totals"
"$mmsim" run --host --json "$dir/all-skipped.mm" | python3 -c '
import json, sys
[o] = [json.loads(l) for l in sys.stdin]
assert o["status"] == "skipped", o
[e] = o["expectations"]
assert e["status"] == "skipped" and e["reason"] == "model-only probe", e
' || fail "all-skipped: JSON"

# diff --json: one object per scenario, then the summary.
"$mmsim" diff --json "$corpus" > "$dir/diff.json" || fail "diff --json exited $?"
python3 - "$dir/diff.json" "$n" <<'EOF' || fail "diff --json: bad JSON"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
n = int(sys.argv[2])
assert len(objs) == n + 1, len(objs)
for o in objs[:-1]:
    assert o["type"] == "scenario"
    for k in ("file", "scenario", "agree", "disagree", "skipped", "disagreements"):
        assert k in o, k
s = objs[-1]
assert s["type"] == "summary" and s["scenarios"] == n and s["disagree"] == 0, s
assert s["agree"] == sum(o["agree"] for o in objs[:-1])
EOF

# diff --tap
"$mmsim" diff --tap "$corpus" > "$dir/diff.tap" || fail "diff --tap exited $?"
check_tap "$dir/diff.tap" "$n"

# A disagreement (a pre-5.9 COW against today's kernel): not ok, listed, exit 1.
one=$corpus/process-vm-read-unshares.mm
rc=0; "$mmsim" diff --tap --profile linux-5.9 "$one" > "$dir/dis.tap" || rc=$?
[ "$rc" -eq 1 ] || fail "diff with a disagreement exited $rc, not 1"
check_tap "$dir/dis.tap" 1
grep -q '^not ok 1 - ' "$dir/dis.tap" || fail "disagreement: no 'not ok'"
grep -q '^  disagreements:$' "$dir/dis.tap" || fail "disagreement: no YAML block"
grep -q '^# Totals: pass:0 fail:1 ' "$dir/dis.tap" || fail "disagreement: Totals"
rc=0; "$mmsim" diff --json --profile linux-5.9 "$one" > "$dir/dis.json" || rc=$?
[ "$rc" -eq 1 ] || fail "diff --json with a disagreement exited $rc, not 1"
python3 - "$dir/dis.json" <<'EOF' || fail "disagreement: JSON"
import json, sys
sc, summary = [json.loads(l) for l in open(sys.argv[1])]
assert sc["status"] == "disagree" and sc["disagree"] == len(sc["disagreements"]) > 0, sc
for d in sc["disagreements"]:
    assert set(d) == {"line", "name", "model", "host"}, d
assert summary["type"] == "summary" and summary["disagree"] == sc["disagree"]
EOF

# --json and --tap exclude each other.
rc=0; "$mmsim" diff --json --tap "$corpus" > /dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "diff --json --tap exited $rc, not 2"
rc=0; "$mmsim" run --host --json --tap "$corpus" > /dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "run --host --json --tap exited $rc, not 2"

echo "PASS: run --host and diff in --json and --tap ($n scenarios)"
