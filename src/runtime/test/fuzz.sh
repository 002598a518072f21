#!/usr/bin/env bash
# Coverage-guided fuzzing of the file readers: runs every Jazzer @FuzzTest in fuzzing mode, one after the other, each
# for a bounded time. A normal `mvn test` only replays their inputs (regression mode).
#   src/runtime/test/fuzz.sh            # 60 s per fuzz test, four fuzz tests: about 6 minutes with the Maven start-ups
#   src/runtime/test/fuzz.sh 5m         # any Jazzer duration: 30s, 5m, 1h
#   src/runtime/test/fuzz.sh 30s SafetensorsCoverageFuzzTest   # only the named test classes
# A finding fails the run: Jazzer stores the input under src/runtime/test/resources/<package>/<Class>Inputs/<method>/,
# where every later `mvn test` replays it, so commit it together with the fix. Logs, with libFuzzer's coverage (cov)
# and execution counts, go to src/runtime/target/fuzz/<Class>.log; the corpus grown while fuzzing stays in
# .cifuzz-corpus/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."

duration="${1:-60s}"
shift $(( $# > 0 ? 1 : 0 ))
targets=("$@")
if (( ${#targets[@]} == 0 )); then
    targets=(SafetensorsCoverageFuzzTest NpyCoverageFuzzTest NpzCoverageFuzzTest SaeFolderCoverageFuzzTest)
fi

mvn=(mvn -B -ntp -Dstyle.color=never -pl src/runtime)
mkdir -p src/runtime/target/fuzz
echo "fuzz: compiling"
"${mvn[@]}" -q test-compile

failed=()
for target in "${targets[@]}"; do
    log="src/runtime/target/fuzz/$target.log"
    echo "fuzz: $target for $duration (log: $log)"
    # Maven runs the test phase each time so that the toolchain plugin hands the forked JVM JDK 25.
    if JAZZER_FUZZ=1 JAZZER_MAX_DURATION="$duration" "${mvn[@]}" test -Dtest="$target" >"$log" 2>&1; then
        status=passed
    else
        status=FAILED
        failed+=("$target")
        # The finding itself, so that a CI log alone is enough to reproduce it (decode the Base64 into a file).
        grep -E '^== Java Exception|^Caused by|^Base64:' "$log" | head -n 6 || true
    fi
    # libFuzzer's last status line: executions, coverage counters, corpus size and speed.
    summary=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 || true)
    echo "fuzz: $target $status: ${summary:-no libFuzzer summary, see $log}"
done

new_inputs=$(git status --porcelain --untracked-files=all -- 'src/runtime/test/resources/*Inputs/*' 2>/dev/null || true)
if [[ -n "$new_inputs" ]]; then
    echo "fuzz: new inputs to keep as regression inputs:"
    echo "$new_inputs"
fi
if (( ${#failed[@]} > 0 )); then
    echo "fuzz: findings in ${failed[*]}; the stack traces are in their logs" >&2
    exit 1
fi
echo "fuzz: no findings"
