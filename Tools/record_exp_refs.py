#!/usr/bin/env python3
"""Records TensorFlow's float32 and float64 tf.exp / tf.math.log outputs for EigenMathTests.

Needs TensorFlow (2.21, CPU) and numpy; CI never runs it. Every case runs eagerly in a fresh
process per intra-op thread count (1 and 2); the script refuses to write if they disagree.

The inputs are made by exact operations on an integer hash (lowbias32, as in
record_reduction_refs.py), so Swift rebuilds the very same bits (`EigenMathInput` in the tests).
Outputs are recorded as bit patterns: the first few, the count, and an FNV-1a checksum.

    /work/tfvenv/bin/python Tools/record_exp_refs.py > Tests/TensorCoreTests/EigenMathReferences.swift
"""
import json
import subprocess
import sys

import numpy as np

from record_reduction_refs import checksum, lowbias32

SIZES = [1, 7, 8, 9, 15, 16, 17, 100, 1000, 100003]
GENERATORS = ["bits", "positive", "wide", "unit"]
# (generator, seed, count)
CASES = [(g, 1 + 10 * gi + si, n) for gi, g in enumerate(GENERATORS) for si, n in enumerate(SIZES)]
CASES += [("specials", 101, 100), ("specials", 102, 1003)]
# float64: Eigen's Packet4d path (whole packets of 4) and glibc's exp/log for the rest.
SIZES64 = [1, 3, 4, 5, 7, 8, 9, 100, 1001, 100003]
GENERATORS64 = ["bits64", "positive64", "wide64", "unit64"]
CASES += [(g, 201 + 10 * gi + si, n) for gi, g in enumerate(GENERATORS64) for si, n in enumerate(SIZES64)]
CASES += [("specials64", 301, 100), ("specials64", 302, 1003)]
HEAD = 8

# Edge cases, as float32 bit patterns: zeros, subnormals, the normal boundary, exp's clamps
# (88.723, -104) and fast-ldexp threshold (87), log's sqrt(1/2) split, infinities, NaN payloads.
SPECIALS = [
    0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x000116C2, 0x800116C2, 0x007FFFFF, 0x00800000,
    0x80800000, 0x3F800000, 0xBF800000, 0x42B16666, 0x42B17000, 0x42B171AA, 0x42B17200, 0x42B20000,
    0xC2B16666, 0xC2AE999A, 0x42AE0000, 0xC2AE0000, 0x42AE051F, 0xC2CFCCCD, 0xC2D00000, 0xC2D00CCD,
    0xC3160000, 0x7149F2CA, 0xF149F2CA, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7FC00001,
    0xFFC12345, 0x7F800001, 0x7F7FFFFF, 0xFF7FFFFF, 0x3F000000, 0x40000000, 0x3F3504F2, 0x3F3504F3,
    0x3F3504F4, 0x3F800001, 0x3F7FFFFF, 0xBEB17218, 0x3EB17218, 0x322BCC77, 0xB22BCC77, 0x3E800000,
    0x42B1722D, 0x42B1722E, 0x42B17218, 0xC2CFFFFF, 0x42AE0001, 0xC2AE0001, 0x0C000000, 0x8C000000,
]

# float64 edge cases: subnormals, exp's clamps (709.784, -745.519) and fast-ldexp threshold
# (708), log's sqrt(1/2) split, infinities, NaN payloads.
SPECIALS64 = [
    0x0000000000000000, 0x8000000000000000, 0x0000000000000001, 0x8000000000000001,
    0x0010000000000000, 0x000FFFFFFFFFFFFF, 0x000012688B70E62B, 0x800012688B70E62B,
    0x3FF0000000000000, 0xBFF0000000000000, 0x4086200000000000, 0x4086200000000001,
    0xC086200000000000, 0xC086200000000001, 0x40862E3D70A3D70A, 0x40862E45A1CAC083,
    0x40862E51EB851EB8, 0xC087490A3D70A3D7, 0xC0874C26E978D4FE, 0xC0874C28F5C28F5C,
    0xC087500000000000, 0x7E37E43C8800759C, 0xFE37E43C8800759C, 0x7FF0000000000000,
    0xFFF0000000000000, 0x7FF8000000000000, 0xFFF8000000000000, 0x7FEFFFFFFFFFFFFF,
    0xFFEFFFFFFFFFFFFF, 0x3FE0000000000000, 0x4000000000000000, 0x3FE6A09E667F3BCC,
    0x3FE6A09E667F3BCD, 0x3FF0000000000001, 0x3FEFFFFFFFFFFFFF, 0xBFD62E42FEFA39EF,
    0x3FD62E42FEFA39EF, 0x3BC79CA10C924223, 0x7FF8000000000001, 0xFFF0000000000123,
]


def make_input(generator, seed, count):
    """float32 (float64 for the *64 generators) numpy array — EigenMathReference's inputs in the tests."""
    with np.errstate(over="ignore"):
        i = np.arange(count, dtype=np.uint32)
        h = lowbias32(i + np.uint32(seed * 0x9E3779B9 % 2**32))
        if generator == "bits":
            return h.view(np.float32)
        if generator == "positive":
            return (h & np.uint32(0x7FFFFFFF)).view(np.float32)
        if generator in ("wide", "unit"):
            scale = np.float32(2.0 ** (-16 if generator == "wide" else -20))
            return (h.view(np.int32) >> np.int32(8)).astype(np.float32) * scale
        if generator == "specials64":
            return np.array(SPECIALS64, np.uint64)[h % np.uint32(len(SPECIALS64))].view(np.float64)
        if generator.endswith("64"):
            h2 = lowbias32(h ^ np.uint32(0x5BD1E995))
            if generator in ("bits64", "positive64"):
                words = (h.astype(np.uint64) << np.uint64(32)) | h2.astype(np.uint64)
                if generator == "positive64":
                    words &= np.uint64(0x7FFFFFFFFFFFFFFF)
                return words.view(np.float64)
            if generator == "wide64":
                return (h.view(np.int32) >> np.int32(8)).astype(np.float64) * 2.0 ** -12
            mantissa = ((h.astype(np.int64) << 21) | (h2 >> np.uint32(11)).astype(np.int64)) - 2**52
            return mantissa.astype(np.float64) * 2.0 ** -50
        if generator == "specials":
            return np.array(SPECIALS, np.uint32)[h % np.uint32(len(SPECIALS))].view(np.float32)
    raise ValueError(generator)


def run_tf(threads):
    """Child process: every case with this intra-op thread count; prints JSON."""
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    results = []
    for generator, seed, count in CASES:
        x = tf.constant(make_input(generator, seed, count))
        view = np.uint64 if generator.endswith("64") else np.uint32
        exp = tf.exp(x).numpy().view(view)
        log = tf.math.log(x).numpy().view(view)
        results.append([[int(v) for v in exp], [int(v) for v in log]])
    print(json.dumps(results))


def swift_words(words, digits):
    return "[" + ", ".join(f"0x{w:0{digits}X}" for w in words) + "]"


def print_specials(dtype, generator, declaration, words, per_line, digits):
    print()
    print(f"  /// Edge-case inputs ({dtype} bit patterns) for the `{generator}` generator.")
    print(f"  static let {declaration} = [")
    for k in range(0, len(words), per_line):
        print("    " + ", ".join(f"0x{w:0{digits}X}" for w in words[k:k + per_line]) + ",")
    print("  ]")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        run_tf(int(sys.argv[2]))
        return
    runs = []
    for threads in (1, 2):
        out = subprocess.run([sys.executable, __file__, "--child", str(threads)], check=True,
                             capture_output=True, text=True).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    if runs[0] != runs[1]:
        sys.exit("TF's outputs differ between 1 and 2 intra-op threads; not writing")
    print("// Generated by Tools/record_exp_refs.py from TensorFlow 2.21 CPU (eager; 1 and 2 intra-op")
    print("// threads agree); do not edit. Bit patterns of the first outputs, the count, and an FNV-1a checksum.")
    print()
    print("extension EigenMathReference {")
    print("  static let recorded: [EigenMathReference] = [")
    for (generator, seed, count), (exp, log) in zip(CASES, runs[0]):
        digits = 16 if generator.endswith("64") else 8
        print(f"    .init(")
        print(f"      generator: .{generator}, seed: {seed}, count: {count},")
        print(f"      exp: .init(count: {len(exp)}, head: {swift_words(exp[:HEAD], digits)}, checksum: 0x{checksum(exp):016X}),")
        print(f"      log: .init(count: {len(log)}, head: {swift_words(log[:HEAD], digits)}, checksum: 0x{checksum(log):016X})),")
    print("  ]")
    print_specials("float32", ".specials", "specials: [UInt32]", SPECIALS, 8, 8)
    print_specials("float64", ".specials64", "specials64: [UInt64]", SPECIALS64, 4, 16)
    print("}")


if __name__ == "__main__":
    main()
