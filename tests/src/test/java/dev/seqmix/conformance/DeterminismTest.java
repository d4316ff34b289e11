package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.seqmix.Kernels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Same backend, input and thread count give the same bits: twice in a row, and with 8 threads calling at once. */
class DeterminismTest {

    @ParameterizedTest
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void sameBitsTwiceAndUnderConcurrency(String backend) throws Exception {
        List<Workloads.Op> ops = Workloads.all();
        try (Kernels k = Backends.open(backend)) {
            List<float[][]> first = new ArrayList<>();
            for (Workloads.Op op : ops) {
                float[][] a = op.run().apply(k);
                float[][] b = op.run().apply(k);
                for (int i = 0; i < a.length; i++) {
                    assertArrayEquals(a[i], b[i], 0f, op.name() + " differs between two runs");
                }
                first.add(a);
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int thread = 0; thread < 8; thread++) {
                    int offset = thread;
                    futures.add(pool.submit(() -> {
                        for (int r = 0; r < ops.size(); r++) {
                            int i = (r + offset) % ops.size();
                            float[][] got = ops.get(i).run().apply(k);
                            for (int j = 0; j < got.length; j++) {
                                assertArrayEquals(first.get(i)[j], got[j], 0f,
                                        ops.get(i).name() + " differs under 8 concurrent threads");
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
