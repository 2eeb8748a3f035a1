#!/usr/bin/env bash
# Builds the Java binding's jar against the Orca release DIST (without its tests), then the JMH
# benchmarks in java/bench (JMH and Chicory from Maven Central), and runs them with short settings:
# one fork, 2 warm-up and 3 measured iterations of 1 s each per benchmark and runtime (about
# a minute and a half in all). Arguments after DIST replace those settings and go to JMH as they
# are (e.g. `fib -f 3 -wi 5 -i 5`; CI runs every benchmark once with `-f 1 -wi 0 -i 1 -r 100ms`).
#
#   java/bench/run.sh DIST [JMH OPTIONS...]
set -euo pipefail
. "$(dirname "$0")/../dist-arg.sh" "${1:-}" # usage: $0 DIST when it is missing
shift
bench="$here/bench"
mvn -B -q -f "$here/pom.xml" -Dorca.dist="$dist" -DskipTests package
mvn -B -q -f "$bench/pom.xml" package dependency:build-classpath -Dmdep.outputFile="$bench/target/classpath.txt"
settings=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
if [ $# -gt 0 ]; then settings=("$@"); fi
java -cp "$bench/target/classes:$(cat "$bench/target/classpath.txt")" org.openjdk.jmh.Main "${settings[@]}"
