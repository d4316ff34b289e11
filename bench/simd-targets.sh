#!/usr/bin/env bash
# The JMH runs behind the simd issue's targets in RESULTS.md ("The simd issue's targets: final
# measurements"), about 35 minutes on the 2-core machine. Needs tool/target/seqmix.jar
# (`mvn -B -DskipTests package -pl tool -am`) and a JDK 25 (JAVA, default: the one ./seqmix finds).
# Writes JMH's JSON and text to bench/results/simd-targets-*.{json,txt}. Run it on a quiet machine:
# only one JMH at a time, and nothing else heavy (the published run paused the other builds).
#
#   bench/simd-targets.sh [fft|real|threads|attention]...   (default: all four)
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
OUT=bench/results
ARGS="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx8g"
jmh() { # name, then JMH arguments
  local name="$1"
  shift
  "$JAVA" -cp tool/target/seqmix.jar org.openjdk.jmh.Main -jvmArgsAppend "$ARGS" -rf json \
    -rff "$OUT/simd-targets-$name.json" "$@" | tee "$OUT/simd-targets-$name.txt"
}
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(fft real threads attention)
for part in "${parts[@]}"; do
  case "$part" in
    fft) # complex FFT at every power of two 2^6 .. 2^20 against JTransforms and FFTW, one thread
      jmh fft -f 1 -wi 3 -i 5 -w 1 -r 1 -p backend=simd \
        -p n=64,128,256,512,1024,2048,4096,8192,16384,32768,65536,131072,262144,524288,1048576 \
        '^dev.seqmix.bench.FftBenchmark.(forward|jtransformsForward|fftwForward)$' ;;
    real) # real FFT likewise, 2^8 .. 2^20
      jmh real -f 1 -wi 3 -i 5 -w 1 -r 1 -p backend=simd \
        -p n=256,512,1024,2048,4096,8192,16384,32768,65536,131072,262144,524288,1048576 \
        '^dev.seqmix.bench.RealFftBenchmark.(forwardReal|jtransformsRealForward|fftwRealForward)$' ;;
    threads) # one and two threads: scans and TaLK against the copy ceilings, batched FFT, attention at 2048
      jmh scan -f 1 -wi 3 -i 5 -w 1 -r 1 -p backend=simd -p threads=1,2 -p shape=8x4096x512 \
        '^dev.seqmix.bench.ScanBenchmark.(cumsum|copy|copyThreads)$'
      jmh scan1d -f 1 -wi 3 -i 5 -w 1 -r 1 -p backend=scalar,simd -p threads=1 -p shape=1x16384x1 \
        '^dev.seqmix.bench.ScanBenchmark.cumsum$'
      jmh talk -f 1 -wi 3 -i 5 -w 1 -r 1 -p backend=simd -p threads=1,2 \
        '^dev.seqmix.bench.TalkBenchmark.(forward|backward)$'
      jmh talkdirect -f 1 -wi 1 -i 3 -w 1 -r 1 -p backend=simd -p threads=1 \
        '^dev.seqmix.bench.TalkBenchmark.forwardDirectLoop$'
      jmh batch -f 1 -wi 8 -i 8 -w 1 -r 1 -p backend=simd -p threads=1,2 \
        '^dev.seqmix.bench.BatchedFftBenchmark.(forward|copy|fftwForward)$'
      jmh attention2048 -f 1 -wi 4 -i 3 -w 2 -r 2 -p backend=simd -p threads=1,2 -p length=2048 \
        '^dev.seqmix.bench.AttentionBenchmark.(rpeAttention|softmaxRpeAttention)$' ;;
    attention) # RPE attention from 2^12 to 2^16, and softmax at 8192, one thread, single shots
      jmh rpe-growth -f 1 -bm ss -tu s -wi 1 -i 3 -p backend=simd -p threads=1 \
        -p length=4096,8192,16384,32768,65536 '^dev.seqmix.bench.AttentionBenchmark.rpeAttention$'
      jmh softmax8192 -f 1 -bm ss -tu s -wi 1 -i 2 -p backend=simd -p threads=1 -p length=8192 \
        '^dev.seqmix.bench.AttentionBenchmark.softmaxRpeAttention$' ;;
    *) echo "simd-targets.sh: unknown part '$part' (fft, real, threads, attention)" >&2; exit 2 ;;
  esac
done
