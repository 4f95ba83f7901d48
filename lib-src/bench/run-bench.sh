#!/usr/bin/env bash
# The rnnlab benchmark: our DL4J training steps vs PyTorch's on this CPU (see rnnlab.bench.Bench).
#   lib-src/bench/run-bench.sh [--quick] [--out BENCHMARKS.md] [--cases a,b] [--threads N]
# Compiles the bench module lib-src/bench and the library it uses (offline), then runs rnnlab.bench.Bench
# on the bench's classes and its runtime classpath (the library's classes and jars) with
# OMP_NUM_THREADS (default 2) and OMP_WAIT_POLICY (default PASSIVE) for both sides; PyTorch runs on /usr/bin/python3.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
# The peer first, before any build: PyTorch on /usr/bin/python3 (or --python PATH).
python=/usr/bin/python3; prev=
for a in "$@"; do [ "$prev" = --python ] && python=$a; prev=$a; done
"$python" -c 'import torch' >/dev/null 2>&1 || { echo "run-bench.sh: the benchmark times PyTorch beside rnnlab, but $python cannot import torch; install it: sudo apt-get install python3-torch (or pip install torch into another interpreter and pass --python PATH)" >&2; exit 2; }
[ "${1:-}" = --check-peer-only ] && exit 0  # environment/lab bench: the check alone, before it builds
command -v mvn >/dev/null || { echo "run-bench.sh: Maven (mvn) is missing; install it (apt-get install maven)" >&2; exit 2; }
command -v java >/dev/null || { echo "run-bench.sh: Java 17 is missing; install it (apt-get install openjdk-17-jdk-headless)" >&2; exit 2; }
cpfile=$(mktemp)
trap 'rm -f "$cpfile"' EXIT
# -am builds the library too; both modules write $cpfile, the bench (built last) wins: lib-src/target/classes + jars.
mvn -q -B -o compile dependency:build-classpath -pl lib-src/bench -am -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=runtime >&2
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
# Idle OpenMP threads sleep instead of spinning: on a shared 2-core machine spinning made steps 4-30x slower (BACKEND.md).
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
# The heap-free ratios let a GC between cases give the heap back, so each case's peak memory is its own (Bench.releaseMemory).
# lib-src/jvm/vector-api.args: the Vector API for the convolution loops, as the rnnlab kernel has it.
exec java -Xmx4g -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -Dorg.bytedeco.javacpp.maxbytes=8G \
  @lib-src/jvm/vector-api.args ${JAVA_OPTS:-} \
  -cp "lib-src/bench/target/classes:$(cat "$cpfile")" rnnlab.bench.Bench --threads "$OMP_NUM_THREADS" "$@"
