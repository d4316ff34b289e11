#!/usr/bin/env bash
# The OpenCL benchmarks on any vendor's device, needing only a Java 25 runtime (a jlinked one is enough:
# java.base, java.logging, java.management, jdk.management, jdk.incubator.vector, jdk.unsupported) and the
# vendor's OpenCL driver (ICD). Copy tool/target/seqmix.jar (built here with
# `mvn -B -DskipTests package -pl tool -am`) and this script to the machine, then:
#
#   JAVA=/path/to/java ./opencl-bench.sh [seqmix.jar] [extra JMH args...]
#
# Lists the OpenCL devices (pick one with SEQMIX_OPENCL_DEVICE=<index or name part>), then runs every
# benchmark with -p backend=opencl,simd (simd: the CPU reference the ratios in RESULTS.md use) and the
# kernel-time benchmark, writing JMH's JSON to opencl-results.json and opencl-kernel-time.json.
set -euo pipefail
JAR="${1:-$(dirname "$0")/../tool/target/seqmix.jar}"
shift || true
JAVA="${JAVA:-java}"
DEVICE="${SEQMIX_OPENCL_DEVICE:-}"
FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
[ -n "$DEVICE" ] && FLAGS+=("-Dseqmix.opencl.device=$DEVICE")

# which backends and device this machine has
"$JAVA" "${FLAGS[@]}" -cp "$JAR" dev.seqmix.opencl.OpenClProvider

# end-to-end times; -jvmArgsAppend on the command line replaces the benchmarks' own, so it repeats the flags
"$JAVA" "${FLAGS[@]}" -cp "$JAR" org.openjdk.jmh.Main -jvmArgsAppend "${FLAGS[*]}" \
  -p backend=opencl,simd -rf json -rff opencl-results.json \
  'dev\.seqmix\.bench\.(ScanBenchmark\.cumsum$|TalkBenchmark\.(forward|backward)$|FftBenchmark\.forward$|BatchedFftBenchmark\.forward$|RealFftBenchmark\.forwardReal$|ToeplitzBenchmark|RandomFeaturesBenchmark|AttentionBenchmark)' \
  "$@"

# kernel time (OpenCL profiling events) beside end-to-end time: scan, TaLK forward and backward (a training
# shape and a 1-D signal), batched FFT
"$JAVA" "${FLAGS[@]}" -cp "$JAR" org.openjdk.jmh.Main \
  -jvmArgsAppend "${FLAGS[*]} -Dseqmix.opencl.profile=true" \
  -rf json -rff opencl-kernel-time.json OpenClKernelTimeBenchmark "$@"
