#!/usr/bin/env bash
# Runs rnnlab.bench.BackendProbe with exactly one nd4j-native binary jar on the classpath.
# usage: probe.sh <classifier|POM> <probe args...>   (POM = the classpath exactly as lib-src/pom.xml resolves it)
# env: JAVA_OPTS extra JVM options. Needs the bench module compiled and its classpath in /tmp/perf_cp.txt:
#   mvn -o compile dependency:build-classpath -pl lib-src/bench -am -Dmdep.outputFile=/tmp/perf_cp.txt -Dmdep.includeScope=runtime
# (the bench's runtime classpath: lib-src/target/classes and the library's jars)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cls=$1; shift
cpfile=${RNNLAB_CP_FILE:-/tmp/perf_cp.txt}
base=$(tr ':' '\n' < "$cpfile")
if [ "$cls" != POM ]; then
  base=$(grep -vE 'nd4j-native-1\.0\.0-M2\.1-linux-x86_64.*\.jar$' <<<"$base")
  jar=~/.m2/repository/org/nd4j/nd4j-native/1.0.0-M2.1/nd4j-native-1.0.0-M2.1-$cls.jar
  [ -f "$jar" ] || { echo "missing $jar: mvn dependency:get -Dartifact=org.nd4j:nd4j-native:1.0.0-M2.1:jar:$cls" >&2; exit 2; }
  base="$base"$'\n'"$jar"
fi
cp="$here/target/classes:$(paste -sd: <<<"$base")"
exec java -Xmx4g -Dorg.bytedeco.javacpp.maxbytes=6G ${JAVA_OPTS:-} -cp "$cp" rnnlab.bench.BackendProbe "$@"
