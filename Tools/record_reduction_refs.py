#!/usr/bin/env python3
"""Records TensorFlow's reduce_sum / reduce_mean outputs for EigenReductionTests.

Needs TensorFlow (2.21, CPU) and numpy; CI never runs it. Every case runs in a fresh process per
intra-op thread count (1 and 2) and per mode (eager, and graph mode through tf.compat.v1.Session
fed by a placeholder, so Grappler cannot fold the reduction at graph-build time); the script
refuses to write if eager and graph disagree.

The inputs are made by exact float operations on an integer hash, so Swift rebuilds the very same
bits (see `EigenReductionInput` in the tests). Outputs are recorded as bit patterns: the first
few, the count, and an FNV-1a checksum over all of them.

    /work/tfvenv/bin/python Tools/record_reduction_refs.py \
        > Tests/TensorCoreTests/EigenReductionReferences.swift
"""
import json
import subprocess
import sys

import numpy as np

# (name, dtype, generator, seed, shape, axes)
CASES = [
    ("float32 full, 10 uniform", "float32", "uniform", 1, [10], [0]),
    ("float32 full, 10 mixed", "float32", "mixed", 2, [10], [0]),
    ("float32 full, 1K uniform", "float32", "uniform", 3, [1000], [0]),
    ("float32 full, 1K mixed", "float32", "mixed", 4, [1000], [0]),
    ("float32 full, 100K uniform", "float32", "uniform", 5, [100_000], [0]),
    ("float32 full, 100K mixed", "float32", "mixed", 6, [100_000], [0]),
    ("float32 full, 300001 mixed", "float32", "mixed", 7, [300_001], [0]),
    ("float32 full, 3M mixed", "float32", "mixed", 9, [3_000_000], [0]),
    ("float32 full, 3M of 0.1", "float32", "tenth", 0, [3_000_000], [0]),
    ("float32 [300, 1000] over axis 1", "float32", "mixed", 10, [300, 1000], [1]),
    ("float32 [300, 1000] over axis 0", "float32", "mixed", 11, [300, 1000], [0]),
    ("float32 [1000, 300] over axis 0", "float32", "uniform", 12, [1000, 300], [0]),
    ("float32 [3, 100001] over axis 1", "float32", "mixed", 13, [3, 100_001], [1]),
    ("float32 [30, 50, 21] over axis 1", "float32", "mixed", 14, [30, 50, 21], [1]),
    ("float32 [40, 7, 30] over axes 0 and 2", "float32", "mixed", 15, [40, 7, 30], [0, 2]),
    ("float32 [5, 40, 7, 30] over axes 1 and 3", "float32", "mixed", 16, [5, 40, 7, 30], [1, 3]),
    ("float64 full, 1K mixed", "float64", "mixed", 20, [1000], [0]),
    ("float64 full, 100K mixed", "float64", "mixed", 21, [100_000], [0]),
    ("float64 full, 300001 mixed", "float64", "mixed", 22, [300_001], [0]),
    ("float64 [300, 1000] over axis 1", "float64", "mixed", 23, [300, 1000], [1]),
    ("float64 [300, 1000] over axis 0", "float64", "mixed", 24, [300, 1000], [0]),
    ("float16 full, 10 mixed", "float16", "mixed", 30, [10], [0]),
    ("float16 full, 1K mixed", "float16", "mixed", 31, [1000], [0]),
    ("float16 full, 70000 mixed", "float16", "mixed", 32, [70_000], [0]),
    ("float16 full, 200001 mixed", "float16", "mixed", 33, [200_001], [0]),
    ("float16 [300, 1000] over axis 1", "float16", "mixed", 34, [300, 1000], [1]),
    ("float16 [300, 1000] over axis 0", "float16", "mixed", 35, [300, 1000], [0]),
    ("float16 [30, 50, 21] over axis 1", "float16", "mixed", 36, [30, 50, 21], [1]),
    ("bfloat16 full, 1K mixed", "bfloat16", "mixed", 40, [1000], [0]),
    ("bfloat16 full, 200001 mixed", "bfloat16", "mixed", 41, [200_001], [0]),
    ("bfloat16 [300, 1000] over axis 1", "bfloat16", "mixed", 42, [300, 1000], [1]),
    ("bfloat16 [300, 1000] over axis 0", "bfloat16", "mixed", 43, [300, 1000], [0]),
    ("int32 full, 1K wide", "int32", "mixed", 50, [1000], [0]),
    ("int32 [300, 1000] over axis 0", "int32", "mixed", 51, [300, 1000], [0]),
]
HEAD = 4


def lowbias32(x):
    x = x ^ (x >> np.uint32(16))
    x = x * np.uint32(0x7FEB352D)
    x = x ^ (x >> np.uint32(15))
    x = x * np.uint32(0x846CA68B)
    return x ^ (x >> np.uint32(16))


def make_input(dtype, generator, seed, count):
    """numpy array (bfloat16 as uint16 bits) — EigenReductionInput.values in the tests."""
    with np.errstate(over="ignore"):
        i = np.arange(count, dtype=np.uint32)
        h = lowbias32(i + np.uint32(seed * 0x9E3779B9 % 2**32))
        if dtype == "float32":
            if generator == "tenth":
                return np.full(count, 0.1, np.float32)
            if generator == "uniform":
                return np.ldexp((h >> np.uint32(8)).astype(np.float32), -24).astype(np.float32)
            mantissa = ((h >> np.uint32(8)).astype(np.int64) - 2**23).astype(np.float32)
            return np.ldexp(mantissa, (h & np.uint32(31)).astype(np.int32) - 16 - 23).astype(np.float32)
        if dtype == "float64":
            h2 = lowbias32(h ^ np.uint32(0x5BD1E995))
            mantissa = ((h.astype(np.int64) << 21) | (h2 >> np.uint32(11)).astype(np.int64)) - 2**52
            return np.ldexp(mantissa.astype(np.float64), (h2 & np.uint32(31)).astype(np.int32) - 16 - 52)
        if dtype == "float16":
            mantissa = ((h >> np.uint32(21)).astype(np.int64) - 1024).astype(np.float32)
            return np.ldexp(mantissa, (h & np.uint32(7)).astype(np.int32) - 4 - 10).astype(np.float16)
        if dtype == "bfloat16":
            mantissa = ((h >> np.uint32(24)).astype(np.int64) - 128).astype(np.float32)
            value = np.ldexp(mantissa, (h & np.uint32(15)).astype(np.int32) - 8 - 7).astype(np.float32)
            return (value.view(np.uint32) >> np.uint32(16)).astype(np.uint16)
        if dtype == "int32":
            return h.view(np.int32)
    raise ValueError(dtype)


def bits(values, dtype):
    values = np.asarray(values).reshape(-1)
    view = {"float32": np.uint32, "float64": np.uint64, "float16": np.uint16, "bfloat16": np.uint16,
            "int32": np.uint32}[dtype]
    return [int(v) for v in values.view(view)]


def checksum(words):
    h = 0xCBF29CE484222325
    for w in words:
        h = ((h ^ w) * 0x100000001B3) % 2**64
    return h


def run_tf(threads, mode):
    """Child process: every case with this thread count and mode; prints JSON."""
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(threads)
    out = {}
    if mode == "graph":
        tf.compat.v1.disable_eager_execution()
        session = tf.compat.v1.Session(config=tf.compat.v1.ConfigProto(intra_op_parallelism_threads=threads))
    for name, dtype, generator, seed, shape, axes in CASES:
        x = make_input(dtype, generator, seed, int(np.prod(shape))).reshape(shape)
        feed_dtype = tf.uint16 if dtype == "bfloat16" else tf.as_dtype(dtype)

        def reduce(t):
            if dtype == "bfloat16":
                t = tf.bitcast(t, tf.bfloat16)
            s, m = tf.reduce_sum(t, axis=axes), tf.reduce_mean(t, axis=axes)
            if dtype == "bfloat16":
                s, m = tf.bitcast(s, tf.uint16), tf.bitcast(m, tf.uint16)
            return s, m

        if mode == "eager":
            s, m = (v.numpy() for v in reduce(tf.constant(x)))
        else:
            placeholder = tf.compat.v1.placeholder(feed_dtype, shape=[None] * len(shape))
            s, m = session.run(reduce(placeholder), {placeholder: x})
        out[name] = [bits(s, dtype), bits(m, dtype)]
    print(json.dumps(out))


def swift_words(words):
    return "[" + ", ".join(f"0x{w:X}" for w in words) + "]"


def main():
    results = {}
    for threads in (1, 2):
        per_mode = {}
        for mode in ("eager", "graph"):
            text = subprocess.run([sys.executable, __file__, "--child", str(threads), mode], check=True,
                                  capture_output=True, text=True).stdout
            per_mode[mode] = json.loads(text.strip().splitlines()[-1])
        if per_mode["eager"] != per_mode["graph"]:
            differ = [k for k in per_mode["eager"] if per_mode["eager"][k] != per_mode["graph"][k]]
            sys.exit(f"eager and graph disagree with {threads} thread(s): {differ}")
        results[threads] = per_mode["eager"]
    print("// Generated by Tools/record_reduction_refs.py from TensorFlow 2.21 CPU (eager and graph mode")
    print("// agree); do not edit. Bit patterns of the first outputs, the count, and an FNV-1a checksum.")
    print()
    print("extension EigenReductionReference {")
    print("  /// Every recorded case, one entry per set of intra-op thread counts that give the same bits.")
    print("  static let recorded: [EigenReductionReference] = [")
    for name, dtype, generator, seed, shape, axes in CASES:
        one, two = results[1][name], results[2][name]
        groups = [([1, 2], one)] if one == two else [([1], one), ([2], two)]
        for threads, (s, m) in groups:
            print(f"    .init(")
            print(f"      name: \"{name}\", dtype: .{dtype}, generator: .{generator}, seed: {seed},")
            print(f"      shape: {shape}, axes: {axes}, threads: {threads},")
            print(f"      sum: .init(count: {len(s)}, head: {swift_words(s[:HEAD])}, checksum: 0x{checksum(s):016X}),")
            print(f"      mean: .init(count: {len(m)}, head: {swift_words(m[:HEAD])}, checksum: 0x{checksum(m):016X})),")
    print("  ]")
    print("}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        run_tf(int(sys.argv[2]), sys.argv[3])
    else:
        main()
