#!/usr/bin/env bash
# tests/doc_traces.sh MMSIM REPO_ROOT
#
# Checks that every trace embedded in docs/cow-history.md is what mmsim
# prints today. A trace is a marker line of the exact form
#
#   <!-- trace: scenarios/traces/FILE.mm PROFILE -->
#
# followed on the very next line by a fenced block (``` or ```text). For each
# marker this runs, from REPO_ROOT,
#
#   MMSIM run --trace --profile PROFILE scenarios/traces/FILE.mm
#
# and compares its standard output byte for byte with the block's contents.
# On a mismatch it prints a unified diff (documented vs actual). It ends with
# "N passed, N failed" and exits 1 if any trace failed (or the document has no
# markers or a malformed one), 0 otherwise.
set -u

if [[ $# -ne 2 ]]; then
  echo "usage: $0 MMSIM REPO_ROOT" >&2
  exit 2
fi

mmsim=$1
root=$2
# MMSIM may be relative to the caller's directory; we run from REPO_ROOT.
if [[ $mmsim == */* && $mmsim != /* ]]; then mmsim=$PWD/$mmsim; fi
doc=$root/docs/cow-history.md

if [[ ! -x $mmsim ]]; then
  echo "doc_traces: $mmsim is not an executable" >&2
  exit 2
fi
if [[ ! -f $doc ]]; then
  echo "doc_traces: $doc not found" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

marker_re='^<!-- trace: ([^ ]+) ([^ ]+) -->$'
passed=0
failed=0
n=0
lineno=0
state=scan # scan | fence (expect the opening fence) | body
file='' profile='' mline=0

fail() {
  failed=$((failed + 1))
  echo "FAIL  docs/cow-history.md:$mline  $file $profile: $*"
}

while IFS= read -r line || [[ -n $line ]]; do
  lineno=$((lineno + 1))
  case $state in
    scan)
      if [[ $line =~ $marker_re ]]; then
        file=${BASH_REMATCH[1]}
        profile=${BASH_REMATCH[2]}
        mline=$lineno
        n=$((n + 1))
        state=fence
      elif [[ $line == '<!-- trace:'* ]]; then
        mline=$lineno file='?' profile='?'
        fail "malformed trace marker: $line"
      fi
      ;;
    fence)
      if [[ $line == '```' || $line == '```text' ]]; then
        : >"$tmp/expected.$n"
        state=body
      else
        fail "the marker is not followed by a fenced block (line $lineno: $line)"
        state=scan
      fi
      ;;
    body)
      if [[ $line == '```' ]]; then
        (cd "$root" && "$mmsim" run --trace --profile "$profile" "$file") >"$tmp/actual.$n" 2>"$tmp/stderr.$n"
        if cmp -s "$tmp/expected.$n" "$tmp/actual.$n"; then
          passed=$((passed + 1))
          echo "PASS  docs/cow-history.md:$mline  $file $profile"
        else
          fail "the documented trace differs from the output"
          diff -u --label "docs/cow-history.md:$mline (documented)" \
            --label "mmsim run --trace --profile $profile $file" \
            "$tmp/expected.$n" "$tmp/actual.$n"
          if [[ -s $tmp/stderr.$n ]]; then
            echo "  stderr:"
            sed 's/^/    /' "$tmp/stderr.$n"
          fi
        fi
        state=scan
      else
        printf '%s\n' "$line" >>"$tmp/expected.$n"
      fi
      ;;
  esac
done <"$doc"

if [[ $state != scan ]]; then
  fail "unterminated fenced block at the end of the document"
fi
if [[ $n -eq 0 ]]; then
  echo "doc_traces: no '<!-- trace: FILE PROFILE -->' markers in docs/cow-history.md"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
