#!/usr/bin/env python3
"""Markdown tables from a JMH JSON result file; bench/RESULTS.md is written from them.

usage: python3 bench/results/summarize.py bench/results/scalar-baseline.json [--ratios]

Columns: JMH's score (mean of the measured iterations) with its 99.9% error, the best (lowest) iteration,
and the allocation per operation from -prof gc. On a shared machine another process can only make an
iteration slower, so the best iteration is the steadier number; the ratio tables give both.
"""
import json
import sys

PREFIX = "dev.seqmix.bench."


def fmt(x):
    if x is None:
        return ""
    if x != x:  # NaN: too few iterations for an error
        return "n/a"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    if abs(x) >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def key(r):
    p = {k: v for k, v in (r.get("params") or {}).items() if k != "backend"}
    return r["benchmark"].replace(PREFIX, ""), tuple(sorted(p.items()))


def load(path):
    out = {}
    for r in json.load(open(path)):
        m = r["primaryMetric"]
        raw = [x for fork in m.get("rawData", []) for x in fork]
        alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        out[key(r)] = {
            "score": m["score"], "error": m["scoreError"], "unit": m["scoreUnit"],
            "best": min(raw) if raw else None, "alloc": alloc["score"] if alloc else None,
            "backend": (r.get("params") or {}).get("backend", "-"),
        }
    return out


def params_text(p):
    return ", ".join(f"{k}={v}" for k, v in p)


def table(res):
    print("| benchmark | params | backend | score | ± error (99.9%) | best iteration | unit | B/op |")
    print("|---|---|---|---:|---:|---:|---|---:|")
    def order(item):
        (name, p), _ = item
        return name, [(k, int(v) if v.isdigit() else 0, v) for k, v in p]

    for (name, p), v in sorted(res.items(), key=order):
        print(f"| {name} | {params_text(p)} | {v['backend']} | {fmt(v['score'])} | {fmt(v['error'])} "
              f"| {fmt(v['best'])} | {v['unit']} | {fmt(v['alloc'])} |")


def ratios(res):
    rows = []

    def pair(title, a, b, params=()):
        ka, kb = (a, tuple(params)), (b, tuple(params))
        if ka in res and kb in res:
            x, y = res[ka], res[kb]
            rows.append((title, params_text(params), x, y))

    for n in ["64", "256", "1024", "4096", "65536", "1048576"]:
        pair("FFT: seqmix / JTransforms", "FftBenchmark.forward", "FftBenchmark.jtransformsForward", [("n", n)])
    for n in ["1024", "65536"]:
        pair("real FFT: seqmix / JTransforms", "RealFftBenchmark.forwardReal",
             "RealFftBenchmark.jtransformsRealForward", [("n", n)])
    pair("batched FFT 256x4096: seqmix / JTransforms", "BatchedFftBenchmark.forward",
         "BatchedFftBenchmark.jtransformsForward")
    for shape in ["8x4096x512", "1x16384x1"]:
        for m in ["cumsum", "cumsumReverse", "cumsumSegment"]:
            pair(f"scan: {m} / copy", f"ScanBenchmark.{m}", "ScanBenchmark.copy", [("shape", shape)])
    pair("TaLK forward: prefix sums / direct loop", "TalkBenchmark.forward", "TalkBenchmark.forwardDirectLoop")
    pair("TaLK backward / forward", "TalkBenchmark.backward", "TalkBenchmark.forward")
    for n in ["16", "32", "64", "128", "256"]:
        a, b = ("ToeplitzBenchmark.toeplitzMatmul", [("n", n)]), ("ToeplitzDirectBenchmark.direct", [("n", n)])
        ka, kb = (a[0], tuple(a[1])), (b[0], tuple(b[1]))
        if ka in res and kb in res:
            rows.append(("Toeplitz: toeplitzMatmul / direct product", params_text(a[1]), res[ka], res[kb]))
    for n in ["512", "1024", "2048", "4096", "8192"]:
        pair("attention: RPE (FFT) / softmax (n^2)", "AttentionBenchmark.rpeAttention",
             "AttentionBenchmark.softmaxRpeAttention", [("length", n)])
    print("| ratio (< 1: the first is faster) | params | by score | by best iteration |")
    print("|---|---|---:|---:|")
    for title, p, x, y in rows:
        best = x["best"] / y["best"] if x["best"] and y["best"] else None
        print(f"| {title} | {p} | {x['score'] / y['score']:.2f} | {fmt(best)} |")


def main(argv):
    path = argv[1] if len(argv) > 1 else "bench/results/scalar-baseline.json"
    res = load(path)
    if "--ratios" in argv:
        ratios(res)
    else:
        table(res)


if __name__ == "__main__":
    main(sys.argv)
