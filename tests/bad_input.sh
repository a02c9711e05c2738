#!/usr/bin/env bash
# Bad-input checks for the mmsim CLI.
#
#   tests/bad_input.sh MMSIM BADDIR
#
# Every BADDIR/*.mm starts with a comment line
#   # expect: LINE:COL: SUBSTRING
# and `MMSIM run FILE` must exit 2 (bad input, nothing run), print
# `FILE:LINE:COL: ` followed by a message containing SUBSTRING on stderr, and
# not claim on stdout that anything passed. Also: a missing path exits 2, and
# an unknown --profile exits 2 listing the known profiles.
set -u

if [[ $# -ne 2 ]]; then
  echo "usage: $0 MMSIM BADDIR" >&2
  exit 2
fi
MMSIM=$1
BADDIR=$2
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() {
  fail=$((fail + 1))
  echo "FAIL $1: $2"
  [[ -s $tmp/err ]] && sed 's/^/       stderr: /' "$tmp/err" | head -5
  [[ -s $tmp/out ]] && sed 's/^/       stdout: /' "$tmp/out" | head -5
  return 0
}

# Did stdout claim that something passed?
claims_pass() {
  grep -Eq '^(PASS|ok )|(^|[^0-9])[1-9][0-9]* passed' "$1"
}

shopt -s nullglob
files=("$BADDIR"/*.mm)
if [[ ${#files[@]} -eq 0 ]]; then
  echo "FAIL no bad scenario files in $BADDIR"
  exit 1
fi

for f in "${files[@]}"; do
  name=$(basename "$f")
  header=$(head -n 1 "$f")
  if [[ ! $header =~ ^\#\ expect:\ ([0-9]+):([0-9]+):\ (.+)$ ]]; then
    bad "$name" "first line is not '# expect: LINE:COL: MESSAGE'"
    continue
  fi
  line=${BASH_REMATCH[1]}
  col=${BASH_REMATCH[2]}
  want=${BASH_REMATCH[3]}
  "$MMSIM" run "$f" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [[ $rc -ne 2 ]]; then
    bad "$name" "exit status $rc, expected 2"
    continue
  fi
  # The diagnostic line itself: FILE:LINE:COL: ...SUBSTRING...
  if ! grep -F -- "$f:$line:$col: " "$tmp/err" | grep -qF -- "$want"; then
    bad "$name" "stderr lacks '$f:$line:$col: ...$want...'"
    continue
  fi
  if claims_pass "$tmp/out"; then
    bad "$name" "stdout claims something passed"
    continue
  fi
  ok "$name"
done

# A missing path is bad input.
missing="$tmp/does-not-exist.mm"
"$MMSIM" run "$missing" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [[ $rc -ne 2 ]]; then
  bad "missing path" "exit status $rc, expected 2"
elif ! grep -qF -- "$missing" "$tmp/err"; then
  bad "missing path" "stderr does not name the path"
elif claims_pass "$tmp/out"; then
  bad "missing path" "stdout claims something passed"
else
  ok "missing path"
fi

# An unknown --profile is bad input and lists the known profiles.
good="$tmp/good.mm"
printf 'P0: mmap A 1 rw\nP0: write A[0] = 1\n' >"$good"
known=$("$MMSIM" profiles 2>/dev/null | grep -E '^[^[:space:]]' | grep -v '^knobs' | awk '{print $1}')
"$MMSIM" run --profile linux-0.01 "$good" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [[ $rc -ne 2 ]]; then
  bad "unknown --profile" "exit status $rc, expected 2"
elif ! grep -qF "linux-0.01" "$tmp/err"; then
  bad "unknown --profile" "stderr does not name the unknown profile"
elif [[ -z $known ]]; then
  bad "unknown --profile" "'mmsim profiles' lists no profiles"
else
  missing_names=""
  for p in $known; do grep -qF -- "$p" "$tmp/err" || missing_names+=" $p"; done
  if [[ -n $missing_names ]]; then
    bad "unknown --profile" "stderr does not list known profile(s):$missing_names"
  elif claims_pass "$tmp/out"; then
    bad "unknown --profile" "stdout claims something passed"
  else
    ok "unknown --profile"
  fi
fi

# Sanity: the good scenario itself runs (so the checks above test bad input, not a broken binary).
"$MMSIM" run "$good" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [[ $rc -eq 0 ]] && grep -q '1 passed, 0 failed' "$tmp/out"; then
  ok "good scenario runs"
else
  bad "good scenario runs" "exit status $rc"
fi

# One bad file among good ones: nothing is run at all.
cp "${files[0]}" "$tmp/zz-bad.mm"
"$MMSIM" run "$good" "$tmp/zz-bad.mm" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [[ $rc -ne 2 ]]; then
  bad "mixed good and bad" "exit status $rc, expected 2"
elif claims_pass "$tmp/out"; then
  bad "mixed good and bad" "stdout claims something passed"
else
  ok "mixed good and bad"
fi

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
