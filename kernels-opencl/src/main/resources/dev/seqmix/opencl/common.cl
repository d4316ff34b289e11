/*
 * Shared definitions of every seqmix program (OpenCL C 1.2). Prepended to each kernel family's source.
 *
 * Determinism: no atomics, every sum in a fixed order. FP_CONTRACT is off so that no multiply-add is fused:
 * the host mirrors some of these formulas bit for bit (TalkStream), which needs plain IEEE operations.
 *
 * real_t: positions, weights and sums that need more than float (double with cl_khr_fp64, else float).
 * acc_t:  long running sums (TaLK prefix sums): double with fp64, else a float-float pair (hi, lo) with
 *         error-free additions. Both are 8 bytes, so buffer sizes do not depend on the choice.
 */
#pragma OPENCL FP_CONTRACT OFF

#ifdef SEQMIX_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double real_t;
typedef double acc_t;
#define ACC_ZERO 0.0

inline acc_t acc_add(acc_t a, real_t x) { return a + x; }
inline acc_t acc_sum(acc_t a, acc_t b) { return a + b; }
inline real_t acc_diff(acc_t a, acc_t b) { return a - b; }
inline real_t acc_value(acc_t a) { return a; }
#else
typedef float real_t;
typedef float2 acc_t;
#define ACC_ZERO ((float2)(0.0f, 0.0f))

/* (hi, lo) + x with Knuth's two-sum, renormalized */
inline acc_t acc_add(acc_t a, real_t x) {
    float s = a.x + x;
    float bb = s - a.x;
    float err = (a.x - (s - bb)) + (x - bb);
    float lo = a.y + err;
    float hi = s + lo;
    return (float2)(hi, lo - (hi - s));
}
inline acc_t acc_sum(acc_t a, acc_t b) { return acc_add(acc_add(a, b.x), b.y); }
/* the difference of two nearby sums: hi parts cancel exactly (Sterbenz) */
inline real_t acc_diff(acc_t a, acc_t b) { return (a.x - b.x) + (a.y - b.y); }
inline real_t acc_value(acc_t a) { return a.x; }
#endif

inline float2 cmul(float2 a, float2 b) {
    return (float2)(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}

inline float2 conj_if(float2 w, int conjugate) {
    return conjugate ? (float2)(w.x, -w.y) : w;
}
