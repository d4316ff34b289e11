#!/usr/bin/env bash
# One prepared run on the GPU machine: OpenCL setup, device listing, the conformance suite on opencl,
# then the OpenCL benchmarks (JMH JSON into $OUT).
cd "$(dirname "$0")"
G=$PWD
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
exec > >(tee -a "$OUT/log.txt") 2>&1
step() { echo; echo "=== $(date +%T) $*"; }
step machine
nvidia-smi -L; nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,clocks.max.mem,memory.total --format=csv
nproc; grep -m1 'model name' /proc/cpuinfo
step opencl-setup
ldconfig -p | grep -i opencl
ls /etc/OpenCL/vendors 2>/dev/null && cat /etc/OpenCL/vendors/* 2>/dev/null
NVCL=$(ls /usr/local/nvidia/lib64/libnvidia-opencl.so.1 /usr/local/nvidia/lib/libnvidia-opencl.so.1 /usr/lib/x86_64-linux-gnu/libnvidia-opencl.so.1 /usr/lib64/libnvidia-opencl.so.1 2>/dev/null | head -1)
[ -z "$NVCL" ] && NVCL=$(find / -xdev -maxdepth 6 -name 'libnvidia-opencl.so*' 2>/dev/null | head -1)
echo "nvidia opencl: ${NVCL:-none}"
if [ -n "$NVCL" ] && ! grep -qs nvidia-opencl /etc/OpenCL/vendors/*; then
  mkdir -p /etc/OpenCL/vendors && echo "$NVCL" > /etc/OpenCL/vendors/nvidia.icd
fi
if ! ldconfig -p | grep -q 'libOpenCL.so.1 '; then
  mkdir -p /tmp/ocl && dpkg -x ocl-icd-libopencl1_*.deb /tmp/ocl
  export LD_LIBRARY_PATH=/tmp/ocl/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi
mkdir -p /tmp/clinfo && dpkg -x clinfo_*.deb /tmp/clinfo
/tmp/clinfo/usr/bin/clinfo -l
/tmp/clinfo/usr/bin/clinfo > "$OUT/clinfo.txt" 2>&1; head -c 3000 "$OUT/clinfo.txt"
JAVA=$G/rt/bin/java
FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
step seqmix-info
"$JAVA" "${FLAGS[@]}" -jar seqmix.jar info
[ "${SKIP_CONF:-}" ] || { step conformance-opencl; timeout 200 ./conformance.sh --details=summary > "$OUT/conformance.txt" 2>&1; echo "rc=$?"; tail -15 "$OUT/conformance.txt"; grep -B2 -A12 'MethodSource\|✘\|AssertionFailed\|Exception' "$OUT/conformance.txt" | head -80; }
JMH=("$JAVA" "${FLAGS[@]}" -cp seqmix.jar org.openjdk.jmh.Main -jvmArgsAppend "${FLAGS[*]}" -f 1 -wi 3 -i 5 -w 300ms -r 500ms -foe false)
step jmh-fft-scan-talk
timeout 230 "${JMH[@]}" -p backend=opencl,simd -rf json -rff "$OUT/gpu-core.json" \
  'dev\.seqmix\.bench\.(ScanBenchmark\.cumsum$|TalkBenchmark\.(forward|backward)$|FftBenchmark\.forward$|BatchedFftBenchmark\.forward$|RealFftBenchmark\.forwardReal$)' > "$OUT/jmh-core.txt" 2>&1
echo "rc=$?"; grep -A80 '^Benchmark ' "$OUT/jmh-core.txt"
step jmh-attention-toeplitz
timeout 200 "${JMH[@]}" -p backend=opencl,simd -p length=1024,4096 -p n=64,1024,4096 -rf json -rff "$OUT/gpu-attention.json" \
  'dev\.seqmix\.bench\.(ToeplitzBenchmark|RandomFeaturesBenchmark|AttentionBenchmark)' > "$OUT/jmh-attention.txt" 2>&1
echo "rc=$?"; grep -A80 '^Benchmark ' "$OUT/jmh-attention.txt"
step jmh-kernel-time
timeout 60 "$JAVA" "${FLAGS[@]}" -cp seqmix.jar org.openjdk.jmh.Main -jvmArgsAppend "${FLAGS[*]} -Dseqmix.opencl.profile=true" \
  -f 1 -wi 3 -i 5 -w 300ms -r 500ms -rf json -rff "$OUT/gpu-kernel-time.json" OpenClKernelTimeBenchmark > "$OUT/jmh-kernel.txt" 2>&1
echo "rc=$?"; grep -A20 '^Benchmark ' "$OUT/jmh-kernel.txt"
step done
