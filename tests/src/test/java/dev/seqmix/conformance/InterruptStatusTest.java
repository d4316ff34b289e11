package dev.seqmix.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqmix.AttentionShape;
import dev.seqmix.FftPlan;
import dev.seqmix.Kernels;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A call leaves the caller's interrupt status as it found it, or set if an interrupt came during the call:
 * seqmix never consumes an interrupt meant for the application (long calls split over worker threads wait
 * for them, the place where an interrupt could be swallowed).
 */
class InterruptStatusTest {

    static void check(String backend, Consumer<Kernels> call) throws Exception {
        try (Kernels k = Backends.open(backend)) {
            call.accept(k); // warm: plans and programs made, so the timed calls below are the long part
            // set before the call
            Thread.currentThread().interrupt();
            call.accept(k);
            assertTrue(Thread.interrupted(), backend + ": the interrupt set before the call was cleared");
            // arriving during the call
            Thread caller = Thread.currentThread();
            CountDownLatch started = new CountDownLatch(1);
            Thread interrupter = new Thread(() -> {
                try {
                    started.await();
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
                caller.interrupt();
            });
            interrupter.start();
            started.countDown();
            for (int i = 0; i < 4; i++) {
                call.accept(k);
            }
            interrupter.join();
            assertTrue(Thread.interrupted(), backend + ": the interrupt that came during the calls was lost");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void largeFft(String backend) throws Exception {
        int n = 1 << 22;
        float[] data = new float[2 * n];
        check(backend, k -> {
            FftPlan p = k.fftPlan(n);
            p.forward(data, 1);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.seqmix.conformance.Backends#names")
    void attention(String backend) throws Exception {
        AttentionShape s = new AttentionShape(1, 4096, 2, 16, 16, 16, false);
        SplittableRandom rnd = new SplittableRandom(7);
        float[] q = Data.uniform(rnd, s.featureLength(), 0.01, 1);
        float[] v = Data.uniform(rnd, s.valueLength(), -1, 1);
        float[] bias = Data.uniform(rnd, s.biasLength(), -1, 1);
        float[] out = new float[s.valueLength()];
        check(backend, k -> k.rpeAttention(s, q, q, v, bias, out));
    }
}
