#!/usr/bin/env bash
# Builds the example consumer against the seqmix artifacts in the local Maven repository (run `mvn -B install
# -DskipTests` in the repository root first) and runs it four ways, checking each output:
#   1. class path, with the README's flags
#   2. module path, with the README's flags
#   3. shaded jar (java -jar), with --add-modules only: the manifest enables native access
#   4. class path without --add-modules jdk.incubator.vector: one warning, and the scalar fallback
# Exits non-zero on the first mismatch, printing what the run printed.
set -euo pipefail
HERE="$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

die() {
  printf 'run.sh: %s\n' "$*" >&2
  exit 1
}

# A JDK 25 as the seqmix launcher finds one: JAVA_HOME if 25 or newer, else /usr/lib/jvm/*25*, else java on PATH.
java_release() {
  local v
  v="$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1)" || true
  v="${v#1.}"
  [[ $v =~ ^[0-9]+$ ]] && printf '%s' "$v"
}
find_java() {
  local candidate release
  for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} /usr/lib/jvm/*25*/bin/java "$(command -v java 2>/dev/null || true)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    release="$(java_release "$candidate")"
    if [ -n "$release" ] && [ "$release" -ge 25 ]; then
      printf '%s' "$candidate"
      return
    fi
  done
}
JAVA="$(find_java)"
[ -n "$JAVA" ] || die "needs a JDK 25 or newer (looked at JAVA_HOME, /usr/lib/jvm/*25* and java on PATH)"
JDK="$(dirname "$(dirname "$(readlink -f "$JAVA")")")"
echo "run.sh: JDK $JDK"

# The version just installed: the parent pom's own <version> (the first one indented by two spaces).
VERSION="$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -n 1)"
[ -n "$VERSION" ] || die "no <version> in $ROOT/pom.xml"

# Maven itself on the JDK 25, so that it reads the seqmix jars' module descriptors (class file 69) when it compiles
# the example's module-info.java. The option silences JDK 25's warning about Maven's own use of sun.misc.Unsafe.
cd "$HERE"
if ! JAVA_HOME="$JDK" MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
    mvn -B -q -Dstyle.color=never -Dseqmix.version="$VERSION" clean package; then
  die "building the example failed; is seqmix $VERSION installed (mvn -B install -DskipTests in $ROOT)?"
fi

# The installed jars start with their manifest (JarInputStream needs it first).
for jar in target/lib/seqmix-*.jar; do
  first="$("$JDK/bin/jar" tf "$jar" | head -n 2 | tr '\n' ' ')"
  [ "$first" = "META-INF/ META-INF/MANIFEST.MF " ] || die "$jar does not start with its manifest: $first"
done

# Signal chaining for OpenCL drivers built on LLVM (PoCL), as the seqmix launcher does.
JSIG="$JDK/lib/libjsig.so"
[ -f "$JSIG" ] && export LD_PRELOAD="$JSIG${LD_PRELOAD:+:$LD_PRELOAD}"

OUT="$(mktemp)"
ERR="$(mktemp)"
trap 'rm -f "$OUT" "$ERR"' EXIT

# run NAME JAVA-ARGS...: runs the example, then the checks below read $OUT and $ERR
run() {
  local name="$1"
  shift
  CURRENT="$name"
  echo "run.sh: $name: java $*"
  if ! "$JAVA" "$@" >"$OUT" 2>"$ERR"; then
    fail "exited with an error"
  fi
}
fail() {
  echo "run.sh: $CURRENT: $*" >&2
  echo "--- stdout" >&2
  cat "$OUT" >&2
  echo "--- stderr" >&2
  cat "$ERR" >&2
  exit 1
}
expect() { # a fixed string stdout must contain
  grep -qF -- "$1" "$OUT" || fail "expected '$1' in the output"
}
expect_results() {
  expect "talk: [0.25, 0.75, 0.125, 0.75, 0.9375, 1.78125]"
  expect "fft: ok"
  if grep -q "restricted method" "$ERR"; then
    fail "a native-access warning: the flags (or the manifest) do not enable native access for every caller"
  fi
}
expect_all_backends() { # simd available; no backend missing (the shaded jar merged every service file)
  expect "backend simd: available"
  if grep -q "is not on the class path or module path" "$OUT"; then
    fail "a backend is missing"
  fi
  grep -qE '^default: (simd|opencl)$' "$OUT" || fail "expected the default backend to be simd or opencl"
}

FLAGS=(--add-modules jdk.incubator.vector)

run "class path" "${FLAGS[@]}" --enable-native-access=ALL-UNNAMED -cp "target/consumer.jar:target/lib/*" example.consumer.Main
expect "module: unnamed"
expect_all_backends
expect_results

run "module path" "${FLAGS[@]}" --enable-native-access=dev.seqmix.opencl,jocl \
  -p target/consumer.jar:target/lib -m example.consumer/example.consumer.Main
expect "module: example.consumer"
expect_all_backends
expect_results

run "shaded jar" "${FLAGS[@]}" -jar target/consumer-all.jar
expect "module: unnamed"
expect_all_backends
expect_results

# Without the incubator module the simd backend steps aside with one warning. The opencl jar is left out here:
# on a machine with a GPU, opencl (not scalar) would be the default.
run "class path without --add-modules" --enable-native-access=ALL-UNNAMED \
  -cp "target/consumer.jar:target/lib/seqmix-api-$VERSION.jar:target/lib/seqmix-kernels-simd-$VERSION.jar" \
  example.consumer.Main
expect "backend simd: unavailable"
expect "default: scalar"
expect_results
warnings="$(grep -c -- "--add-modules jdk.incubator.vector" "$ERR" || true)"
[ "$warnings" = 1 ] || fail "expected one warning naming --add-modules jdk.incubator.vector, got $warnings"

echo "run.sh: the example consumer ran on the class path, on the module path, as a shaded jar and without the vector module"
