#!/usr/bin/env bash
# conformance suite on the opencl backend, through JUnit's console launcher
cd "$(dirname "$0")"
CP=seqmix.jar:test-classes:$(ls testlib/*.jar | grep -v console | tr '\n' ':')
exec ${JAVA:-rt/bin/java} --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dseqmix.warmup=none \
  -Dseqmix.test.backends=opencl -Dseqmix.test.requiredBackends=scalar,simd,opencl -Xmx8g \
  -jar testlib/junit-platform-console-standalone-1.14.1.jar execute -cp "$CP" --disable-banner --details=tree "$@" \
  --select-package dev.seqmix.conformance \
  --exclude-classname '.*(Warmup|Leak|BackendSelection|Allocation|Stress|InterruptStatus|ContractReferences|ReadmeExample|ManifestFirst)Test' \
