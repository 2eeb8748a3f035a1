#!/usr/bin/env bash
# Runs the JUnit suite under -Xcheck:jni against the Orca release DIST and fails when the tests
# fail or when the JVM reports a misuse of JNI ("WARNING in native method", "FATAL ERROR in native
# method"). The JVM's notice that Orca installed signal handlers ("SIGSEGV handler modified") is
# expected (docs/java.md, "What the JVM needs"). The JVM writes those reports straight to its
# native stream, which Surefire keeps in target/surefire-reports/*.dumpstream.
#
#   java/check-jni.sh DIST
set -uo pipefail
. "$(dirname "$0")/dist-arg.sh"
reports="$here/target/surefire-reports"
rm -rf "$reports"
mvn -B -q -f "$here/pom.xml" -Dorca.dist="$dist" -Dorca.test.argLine=-Xcheck:jni test 2>&1 | tail -n 30
tests_status="${PIPESTATUS[0]}"
misuse="$(grep -rh "in native method" "$reports" 2>/dev/null | sort | uniq -c)"
if [ -n "$misuse" ]; then echo "$misuse"; fi
if [ "$tests_status" -eq 0 ] && [ -z "$misuse" ] && [ -d "$reports" ]; then
  echo "java-check-jni: 1 passed, 0 failed"
else
  echo "java-check-jni: 0 passed, 1 failed"
  exit 1
fi
