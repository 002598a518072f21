#!/usr/bin/env bash
# Runs the JMH benchmarks of bench/java on JDK 25 or newer; every argument goes to org.openjdk.jmh.Main.
#   bench/run.sh GemmBench -p batch=256 -p nLatents=2048 -f 1 -wi 0 -i 1 -r 1s
#   bench/run.sh -l
# Environment: JAVA_HOME (used when it is JDK 25+), BENCH_SKIP_BUILD=1 (use the classes already in target/),
# BENCH_JAVA_OPTS (extra JVM options, e.g. -Dsae4j.openblas.coretype=auto; JMH forks inherit the host's options).
set -euo pipefail
cd "$(dirname "$0")/.."

min_major=25

major_of() {
    local release="$1/release" version
    [[ -f "$release" && -x "$1/bin/java" ]] || return 1
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
    [[ -n "$version" ]] && echo "$version"
}

find_jdk() {
    local home major best="" best_major=0
    if [[ -n "${JAVA_HOME:-}" ]] && major=$(major_of "$JAVA_HOME") && (( major >= min_major )); then
        echo "$JAVA_HOME"
        return
    fi
    for home in /usr/lib/jvm/*; do
        if major=$(major_of "$home") && (( major >= min_major && major > best_major )); then
            best="$home"
            best_major=$major
        fi
    done
    [[ -n "$best" ]] || { echo "bench/run.sh: no JDK $min_major+ in JAVA_HOME or /usr/lib/jvm" >&2; exit 1; }
    echo "$best"
}

jdk=$(find_jdk)
classpath_file=bench/target/bench-classpath.txt
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 || ! -s "$classpath_file" ]]; then
    # one invocation: the reactor hands out the runtime's classes only to the goals of the build that compiled them
    mvn -q -B -Dstyle.color=never -pl bench -am test-compile dependency:build-classpath \
        -Dmdep.outputFile="$PWD/$classpath_file" -Dmdep.includeScope=test >&2
fi
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
# Forks inherit the host's options: bin/jvm.options (README "JVM options") and BENCH_JAVA_OPTS.
exec "$jdk/bin/java" "@bin/jvm.options" ${BENCH_JAVA_OPTS:-} \
    -cp "bench/target/test-classes:$(cat "$classpath_file")" org.openjdk.jmh.Main "$@"
