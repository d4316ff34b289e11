#!/usr/bin/env bash
# Builds the directory that was carried to the H200 (bench/RESULTS.md, "First GPU run"): a jlinked Java 25
# runtime, the seqmix jar, the compiled conformance suite with JUnit's console launcher and jqwik, clinfo and
# the ICD loader as Debian packages (for machines without them), and this folder's scripts. About 60 MB.
#
#   bench/gpu/make-bundle.sh [DIR]          (default: target/gpu-bundle; needs a JDK 25, Maven, apt-get)
#   DIR/run.sh                              (on the GPU machine; writes into $OUT, default /tmp/out)
#
# The device benchmark (ceilings, fractions, a time budget) is bench/gpu-bundle; this folder carries the conformance
# suite and the JMH benchmarks to a GPU as well, for a correctness check there.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DIR="${1:-$ROOT/target/gpu-bundle}"
JDK="${JAVA_HOME:-$(ls -d /usr/lib/jvm/*25* | head -1)}"
cd "$ROOT"
mvn -B -q -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true install
mvn -B -q dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.1 -DoutputDirectory="$DIR/testlib"
mvn -B -q dependency:copy-dependencies -pl tests -DincludeGroupIds=net.jqwik,org.apiguardian -DoutputDirectory="$DIR/testlib"
rm -rf "$DIR/rt" "$DIR/test-classes"
"$JDK/bin/jlink" --add-modules java.base,java.logging,java.management,jdk.management,jdk.incubator.vector,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages --compress zip-9 --output "$DIR/rt"
cp tool/target/seqmix.jar "$DIR/"
cp -r tests/target/test-classes "$DIR/test-classes"
cp bench/gpu/run.sh bench/gpu/conformance.sh "$DIR/"
sed -i 's#\./conf\.sh#./conformance.sh#' "$DIR/run.sh"
(cd "$DIR" && apt-get download ocl-icd-libopencl1 clinfo)
du -sh "$DIR"
