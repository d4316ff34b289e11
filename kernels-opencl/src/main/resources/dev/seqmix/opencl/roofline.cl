/*
 * The device's own ceilings, for the device benchmark (DeviceRoofline): a plain copy kernel (what a kernel that
 * streams memory can reach) and a register-only kernel of independent FMAs (the FP32 peak).
 */

__kernel void roofline_copy(__global const float4* a, __global float4* b) {
    size_t i = get_global_id(0);
    b[i] = a[i];
}

/*
 * 16 independent chains of fma per work-item, `iterations` rounds, on vectors of T: 32 flops a lane a round, no
 * memory traffic but one store at the end (so that nothing is optimized away). The operands stay near 1
 * (x = 1 - 2^-20, y = 2^-21): no overflow, no denormals, whatever the iteration count. Like clpeak, the widths
 * 1, 4 and 16 are all run and the best is the peak: a CPU driver reaches its SIMD width only through vector types,
 * a GPU through many work-items of scalars.
 */
#define ROOFLINE_FMA(NAME, T)                                                                                  \
    __kernel void NAME(__global T* out, int iterations) {                                                      \
        T x = (T)(1.0f - 0x1.0p-20f);                                                                          \
        T y = (T)(0x1.0p-21f);                                                                                 \
        T a0 = (T)(get_global_id(0) * 0x1.0p-30f);                                                             \
        T a1 = a0 + 0.01f, a2 = a0 + 0.02f, a3 = a0 + 0.03f, a4 = a0 + 0.04f, a5 = a0 + 0.05f;                 \
        T a6 = a0 + 0.06f, a7 = a0 + 0.07f, a8 = a0 + 0.08f, a9 = a0 + 0.09f, a10 = a0 + 0.10f;                \
        T a11 = a0 + 0.11f, a12 = a0 + 0.12f, a13 = a0 + 0.13f, a14 = a0 + 0.14f, a15 = a0 + 0.15f;            \
        for (int k = 0; k < iterations; k++) {                                                                 \
            a0 = fma(a0, x, y); a1 = fma(a1, x, y); a2 = fma(a2, x, y); a3 = fma(a3, x, y);                    \
            a4 = fma(a4, x, y); a5 = fma(a5, x, y); a6 = fma(a6, x, y); a7 = fma(a7, x, y);                    \
            a8 = fma(a8, x, y); a9 = fma(a9, x, y); a10 = fma(a10, x, y); a11 = fma(a11, x, y);                \
            a12 = fma(a12, x, y); a13 = fma(a13, x, y); a14 = fma(a14, x, y); a15 = fma(a15, x, y);            \
        }                                                                                                      \
        out[get_global_id(0)] = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)) \
                                + ((a12 + a13) + (a14 + a15));                                                 \
    }

ROOFLINE_FMA(roofline_fma1, float)
ROOFLINE_FMA(roofline_fma4, float4)
ROOFLINE_FMA(roofline_fma16, float16)
