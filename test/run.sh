#!/usr/bin/env bash
# Runs every test suite with node's test runner (TypeScript through tsx).
#   bash test/run.sh            all suites (unit, integration, e2e)
#   bash test/run.sh unit       one suite
# System packages the suites need are installed first when running as root (apt).
set -euo pipefail
cd "$(dirname "$0")/.."
suites=("${@:-unit integration e2e}")
suites=(${suites[@]})

if [ "$(id -u)" = 0 ] && [ -z "${TRACEHOUND_SKIP_APT:-}" ]; then
  bash test/system-deps.sh
fi
# Always rebuild: a stale dist/ would test yesterday's console (takes a few seconds).
node electron/build.mjs
if [[ " ${suites[*]} " == *" integration "* ]] || [[ " ${suites[*]} " == *" e2e "* ]]; then
  if [ -f agent-bpf/Makefile ]; then make -s -C agent-bpf; fi
fi

files=()
for s in "${suites[@]}"; do
  while IFS= read -r f; do files+=("$f"); done < <(find "test/$s" -name '*.test.ts' | sort)
done
if [ ${#files[@]} -eq 0 ]; then echo "no test files found" >&2; exit 1; fi
# Suites share the kernel, runc and ports: run files one at a time, tests inside a file may overlap.
# The spec reporter is for people; a TAP copy gives the closing "N passed, N failed" line.
tap=$(mktemp)
set +e
node --import tsx --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" "${files[@]}"
status=$?
set -e
passed=$(grep -E '^# pass [0-9]+' "$tap" | tail -1 | awk '{print $3}')
failed=$(grep -E '^# fail [0-9]+' "$tap" | tail -1 | awk '{print $3}')
rm -f "$tap"
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
exit $status
