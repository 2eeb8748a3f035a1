#!/usr/bin/env bash
# The fresh consumer-project check: installs the Java binding (io.orca:orca:0.1.0, built against
# the Orca release DIST) into a private local Maven repository, then builds and runs a new Maven
# project outside the repository that depends on it and calls a wasm add (40 + 2 = 42), the way a
# user's project would: no environment variable and no library path set by hand (the consumer
# runs under `env -i` with only PATH, HOME and JAVA_HOME). The machine's ~/.m2 is not written:
# the private repository is seeded with a copy of ~/.m2/repository (when there is one), so the
# plugins Maven needs resolve without the network where they are cached, and from Maven Central
# otherwise. Last line: "java-consumer: N passed, N failed".
#
#   java/consumer-check.sh DIST
set -uo pipefail
. "$(dirname "$0")/dist-arg.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
repo="$work/repo"
passed=0
failed=0
check() { # check NAME COMMAND...: runs the command, counts and prints the outcome
  local name="$1"
  shift
  if "$@" >"$work/log" 2>&1; then
    passed=$((passed + 1))
    echo "ok $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name:"
    tail -n 30 "$work/log"
  fi
}

user_repo="$HOME/.m2/repository"
stamp_user_repo() { # what the machine's repository holds of io.orca, to prove it is left alone
  find "$user_repo/io/orca" -type f -printf '%p %s %T@\n' 2>/dev/null | sort
}
before="$(stamp_user_repo)"
mkdir -p "$repo"
if [ -d "$user_repo" ]; then
  cp -R "$user_repo/." "$repo/"
  rm -rf "$repo/io/orca" # the artifact must come from this install, not an earlier one
fi

# The tests are java/build.sh's job; this check is about packaging and consuming.
check "mvn install into a private repository" \
  mvn -B -f "$here/pom.xml" -Dmaven.repo.local="$repo" -Dorca.dist="$dist" -DskipTests install
check "the artifact is in the private repository" test -f "$repo/io/orca/orca/0.1.0/orca-0.1.0.jar"

consumer="$work/consumer"
mkdir -p "$consumer/src/main/java/example"
cat >"$consumer/pom.xml" <<'POM'
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>orca-consumer</artifactId>
  <version>1.0</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    <dependency>
      <groupId>io.orca</groupId>
      <artifactId>orca</artifactId>
      <version>0.1.0</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.12.1</version>
      </plugin>
      <plugin>
        <groupId>org.codehaus.mojo</groupId>
        <artifactId>exec-maven-plugin</artifactId>
        <version>3.1.1</version>
        <configuration><mainClass>example.Add</mainClass></configuration>
      </plugin>
    </plugins>
  </build>
</project>
POM
cat >"$consumer/src/main/java/example/Add.java" <<'JAVA'
package example;

import io.orca.Engine;
import io.orca.Instance;
import io.orca.Module;
import io.orca.Store;

public class Add {
    public static void main(String[] args) {
        try (Engine engine = new Engine(new Engine.Config().cache(false));
             Store store = new Store(engine);
             Module module = Module.fromWat(engine, """
                 (module (func (export "add") (param i32 i32) (result i32)
                   local.get 0 local.get 1 i32.add))""");
             Instance instance = Instance.create(store, module)) {
            System.out.println("add(40, 2) = " + instance.func("add").callI32(40, 2));
        }
    }
}
JAVA

# A clean environment: what a user's shell has, and nothing that points at Orca.
clean_env=(env -i PATH="$PATH" HOME="$HOME")
[ -n "${JAVA_HOME:-}" ] && clean_env+=(JAVA_HOME="$JAVA_HOME")
run_consumer() {
  cd "$consumer" && "${clean_env[@]}" mvn -q -B -Dmaven.repo.local="$repo" compile exec:java >"$work/out" 2>&1
  local status=$?
  # Maven's quiet mode still prints colour resets; the program's line is compared without them.
  sed -i 's/\x1b\[[0-9;]*m//g' "$work/out"
  cat "$work/out"
  [ "$status" = 0 ] && grep -qx "add(40, 2) = 42" "$work/out"
}
check "a fresh project outside the repository runs add(40, 2) = 42 with mvn exec:java" run_consumer
check "the machine's ~/.m2 holds what it held before" test "$before" = "$(stamp_user_repo)"

echo "java-consumer: $passed passed, $failed failed"
[ "$failed" = 0 ]
