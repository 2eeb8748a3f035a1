#!/usr/bin/env bash
# Builds the Java binding's jar against the Orca release DIST (without its tests), then the JMH
# benchmarks in java/bench (JMH and Chicory from Maven Central), and runs them with short settings:
# one fork, 2 warm-up and 3 measured iterations of 1 s each per benchmark and runtime (about
# a minute and a half in all). Extra arguments after DIST go to JMH (e.g. a benchmark name, or -f 3).
#
#   java/bench/run.sh DIST [JMH OPTIONS...]
set -euo pipefail
. "$(dirname "$0")/../dist-arg.sh" "${1:-}" # usage: $0 DIST when it is missing
shift
bench="$here/bench"
mvn -B -q -f "$here/pom.xml" -Dorca.dist="$dist" -DskipTests package
mvn -B -q -f "$bench/pom.xml" package dependency:build-classpath -Dmdep.outputFile="$bench/target/classpath.txt"
java -cp "$bench/target/classes:$(cat "$bench/target/classpath.txt")" org.openjdk.jmh.Main \
  -f 1 -wi 2 -w 1s -i 3 -r 1s "$@"
