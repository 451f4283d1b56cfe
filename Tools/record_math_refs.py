#!/usr/bin/env python3
"""Records TensorFlow 2.21 CPU's outputs of the math, comparison and shape ops for MathOpTests.

Needs TensorFlow (2.21, CPU) and numpy; CI never runs it. Every case runs in fresh processes
under three settings — eager with 1 intra-op thread and oneDNN off, eager with 2 threads and
oneDNN on, and inside a `tf.function` graph (grappler, oneDNN on) — and the script refuses to
write if any two disagree. Inputs and outputs are printed as Swift literals, floats as raw bit
patterns, so the tests compare bit for bit.

    /work/tfvenv/bin/python Tools/record_math_refs.py > Tests/OperationsTests/MathOpReferences.swift
"""
import json
import os
import subprocess
import sys

import numpy as np

F32_SPECIALS = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, 1e-45, -1e-45, 1e-40, 1.17549435e-38, 3.4028235e38,
                -3.4028235e38, 1e30, -1e30, 1e-30, float("inf"), float("-inf"), float("nan"), 7.9, -7.9, 8.5, 16.6,
                17.0, -88.0, -104.5, 88.8, 1e-5, -1e-5]
F64_SPECIALS = [0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 5e-324, -5e-324, 1e-310, 2.2250738585072014e-308,
                1.7976931348623157e308, -1.7976931348623157e308, 1e300, 1e-300, float("inf"), float("-inf"),
                float("nan"), 17.7, -17.7, 18.5, -745.0, 709.0, 40.0, -40.0, 1e-9]


def values(dtype, count, seed, scale=8.0, specials=True):
    """`count` values: the dtype's specials at both ends (packet and tail paths) around random
    values of mixed magnitudes."""
    rng = np.random.default_rng(seed)
    special = (F64_SPECIALS if dtype == np.float64 else F32_SPECIALS) if specials else []
    special = special[:max(0, (count - 3) // 2)]
    middle = count - 2 * len(special)
    body = rng.standard_normal(middle) * scale * np.exp2(rng.integers(-6, 4, middle))
    return np.concatenate([special, body, special[::-1]]).astype(dtype)


def positive(dtype, count, seed):
    v = np.abs(values(dtype, count, seed))
    v[::17] = -v[::17]
    return v


def ints(dtype, count, seed, low=-50, high=50):
    return np.random.default_rng(seed).integers(low, high, count).astype(dtype)


# (label, op, inputs by TF's argument name, Swift attributes or "", TF-only keyword arguments)
CASES = []


def case(label, op, inputs, swift_attributes="", **tf_attributes):
    CASES.append((label, op, inputs, swift_attributes, tf_attributes))


for dtype, name in [(np.float32, "float32"), (np.float64, "float64")]:
    # 45 and 13 elements: whole packets (8 floats, 4 doubles) and a tail for the scalar path.
    for count in (45, 13):
        x = values(dtype, count, 1 + count)
        for op in ["Square", "Reciprocal", "Sign", "Relu", "Sigmoid", "Tanh"]:
            arg = "features" if op == "Relu" else "x"
            case(f"{op} {name} {count}", op, {arg: x})
        p = positive(dtype, count, 2 + count)
        for op in ["Sqrt", "Rsqrt"]:
            case(f"{op} {name} {count}", op, {"x": p})
        y, dy = values(dtype, count, 3 + count, scale=2), values(dtype, count, 4 + count)[::-1].copy()
        for op in ["SigmoidGrad", "TanhGrad", "SqrtGrad", "RsqrtGrad", "ReciprocalGrad"]:
            case(f"{op} {name} {count}", op, {"y": y, "dy": dy})
        case(f"ReluGrad {name} {count}", "ReluGrad", {"gradients": dy, "features": y})
    # Pow: base and exponent over specials and mixed magnitudes, and broadcasting.
    base = values(dtype, 203, 7, scale=4)
    exponent = np.concatenate([values(dtype, 29, 8, scale=1, specials=False), [0.0, -0.0, 0.5, 2.0, 3.0, -1.0]])
    case(f"Pow {name} grid", "Pow", {"x": base[::3].reshape(-1, 1), "y": exponent.reshape(1, -1).astype(dtype)})
    case(f"Pow {name} same shape", "Pow", {"x": base, "y": values(dtype, 203, 9, scale=3)[::-1].copy()})
    case(f"Pow {name} scalar exponent", "Pow", {"x": base, "y": np.array(2.5, dtype)})
    case(f"Pow {name} scalar base", "Pow", {"x": np.array(1.7, dtype), "y": values(dtype, 203, 10, scale=4)})
    for count in (203, 301):
        case(f"Sigmoid {name} {count}", "Sigmoid", {"x": values(dtype, count, 20 + count, scale=40)})
        case(f"Tanh {name} {count}", "Tanh", {"x": values(dtype, count, 30 + count, scale=3)})

for dtype, name in [(np.float16, "float16"), ("bfloat16", "bfloat16")]:
    x32 = values(np.float32, 61, 40)
    for op in ["Square", "Sqrt", "Rsqrt", "Reciprocal", "Sign", "Relu", "Sigmoid", "Tanh"]:
        arg = "features" if op == "Relu" else "x"
        case(f"{op} {name}", op, {arg: (np.abs(x32) if op in ("Sqrt", "Rsqrt") else x32)}, cast=name)
    y32, dy32 = values(np.float32, 61, 41, scale=2), values(np.float32, 61, 42)
    for op in ["SigmoidGrad", "TanhGrad", "SqrtGrad", "RsqrtGrad", "ReciprocalGrad"]:
        case(f"{op} {name}", op, {"y": y32, "dy": dy32}, cast=name)
    case(f"Pow {name}", "Pow", {"x": np.abs(x32), "y": values(np.float32, 61, 43, scale=1)}, cast=name)

for dtype, name in [(np.int32, "int32"), (np.int64, "int64")]:
    x = ints(dtype, 37, 50)
    x[:4] = [0, 1, -1, np.iinfo(dtype).min]
    for op in ["Square", "Sign", "Relu"]:
        case(f"{op} {name}", op, {"features" if op == "Relu" else "x": x})
    case(f"ReluGrad {name}", "ReluGrad", {"gradients": ints(dtype, 37, 51), "features": x})
    case(f"Pow {name}", "Pow", {"x": ints(dtype, 37, 52, -9, 9), "y": ints(dtype, 37, 53, 0, 12)})
case("Pow int8 wraps", "Pow", {"x": np.array([3, -3, 2, 7, 1, -1, 0], np.int8), "y": np.array([5, 5, 8, 3, 0, 7, 0], np.int8)})

# Comparisons: specials against specials, broadcast.
for dtype, name in [(np.float32, "float32"), (np.float64, "float64"), (np.int32, "int32"), (np.float16, "float16")]:
    if dtype == np.int32:
        a, b = ints(dtype, 9, 60, -3, 3), ints(dtype, 5, 61, -3, 3)
    else:
        s = [0.0, -0.0, 1.0, -1.0, float("inf"), float("-inf"), float("nan"), 2.5, 1e-40]
        a, b = np.array(s, dtype), np.array(s[::2], dtype)
    for op in ["Equal", "NotEqual", "Greater", "GreaterEqual", "Less", "LessEqual"]:
        case(f"{op} {name}", op, {"x": a.reshape(-1, 1), "y": b})
for op in ["Equal", "NotEqual"]:
    case(f"{op} bool", op, {"x": np.array([[True], [False]]), "y": np.array([True, False, True])})
    case(f"{op} incompatible shapes", op, {"x": np.array([1, 2], np.int32), "y": np.array([1, 2, 3], np.int32)},
         '["incompatible_shape_error": .bool(false)]', incompatible_shape_error=False)
case("SelectV2 broadcast", "SelectV2", {"condition": np.array([[True], [False]]),
                                         "t": np.array([1.5, 2.5, -0.0], np.float32), "e": np.array(-1.0, np.float32)})
case("SelectV2 same shape", "SelectV2", {"condition": np.array([True, False, False, True]),
                                          "t": np.array([1, 2, 3, 4], np.int64), "e": np.array([5, 6, 7, 8], np.int64)})

# Shape-side ops.
case("Shape int32", "Shape", {"input": np.zeros((2, 3, 0), np.float32)})
case("Shape int64", "Shape", {"input": np.zeros((4, 1), np.int32)}, '["out_type": .type(.int64)]', out_type="int64")
case("Shape scalar", "Shape", {"input": np.array(1.0, np.float32)})
case("ZerosLike float32", "ZerosLike", {"x": values(np.float32, 7, 70, specials=False).reshape(7, 1)})
case("ZerosLike bool", "ZerosLike", {"x": np.array([True, False])})
case("OnesLike int64", "OnesLike", {"x": np.array([[3, 4]], np.int64)})
case("OnesLike float64", "OnesLike", {"x": np.zeros((2, 2), np.float64)})
case("Fill float32", "Fill", {"dims": np.array([2, 3], np.int32), "value": np.array(1.5, np.float32)})
case("Fill int64 dims", "Fill", {"dims": np.array([3], np.int64), "value": np.array(7, np.int32)})
case("Fill empty", "Fill", {"dims": np.array([2, 0], np.int32), "value": np.array(True)})
case("BroadcastTo row", "BroadcastTo", {"input": np.array([1, 2, 3], np.float32), "shape": np.array([2, 3], np.int32)})
case("BroadcastTo column", "BroadcastTo", {"input": np.array([[1], [2]], np.int32), "shape": np.array([3, 2, 4], np.int64)})
for s0, s1 in [([2, 3], [3]), ([2, 1, 3], [5, 1]), ([1, 1], [1]), ([2, 1, 3, 1], [1, 4, 1, 1]), ([], []),
               ([0, 1], [1]), ([4, 1], [4, 5]), ([3], [2, 1]), ([1, 2, 1], [1, 2, 1]), ([7], [])]:
    case(f"BroadcastGradientArgs {s0} {s1}", "BroadcastGradientArgs",
         {"s0": np.array(s0, np.int32), "s1": np.array(s1, np.int32)})
case("BroadcastGradientArgs int64", "BroadcastGradientArgs", {"s0": np.array([2, 1], np.int64), "s1": np.array([3], np.int64)})
prod_input = np.array([[2, 3, -4], [5, 6, 7]], np.int32)
for axes in ([0], [1], [0, 1], [-1]):
    case(f"Prod int32 {axes}", "Prod", {"input": prod_input, "axis": np.array(axes, np.int32)},
         f'["reduction_indices": .ints({axes}), "keep_dims": .bool(false)]')
case("Prod int32 keep_dims", "Prod", {"input": prod_input, "axis": np.array([1], np.int32)},
     '["reduction_indices": .ints([1]), "keep_dims": .bool(true)]', keep_dims=True)
case("Prod int64 wraps", "Prod", {"input": np.full((3, 25), 7, np.int64), "axis": np.array([1], np.int32)},
     '["reduction_indices": .ints([1]), "keep_dims": .bool(false)]')
case("Prod int32 wraps", "Prod", {"input": np.arange(1, 41, dtype=np.int32).reshape(2, 20), "axis": np.array([1], np.int32)},
     '["reduction_indices": .ints([1]), "keep_dims": .bool(false)]')
case("Prod float32 small", "Prod", {"input": np.array([[1.5, -2.0, 0.25], [3.0, 0.5, 4.0]], np.float32), "axis": np.array([0], np.int32)},
     '["reduction_indices": .ints([0]), "keep_dims": .bool(false)]')


# Large cases (past Parallel.threshold, several threads' blocks, tails not a multiple of 8):
# inputs made by exact integer arithmetic, which MathOpTests rebuilds; outputs as count,
# first words and an FNV-1a checksum of their bit patterns.
# (label, op, dtype, [(argument, multiplier, scale exponent, shape, positive)])
LARGE = []
for dtype in ("float32", "float64"):
    n = 100003
    for op, scale in (("Sigmoid", -6), ("Tanh", -10), ("Square", -9), ("Reciprocal", -9), ("Sign", -9),
                      ("Relu", -9)):
        LARGE.append((f"{op} {dtype} {n}", op, dtype, [("features" if op == "Relu" else "x", 7919, scale, [n], False)]))
    for op in ("Sqrt", "Rsqrt"):
        LARGE.append((f"{op} {dtype} {n}", op, dtype, [("x", 7919, -9, [n], True)]))
    for op in ("SigmoidGrad", "TanhGrad", "SqrtGrad", "RsqrtGrad", "ReciprocalGrad"):
        LARGE.append((f"{op} {dtype} {n}", op, dtype, [("y", 7919, -12, [n], False), ("dy", 104729, -9, [n], False)]))
    # Tiled broadcasts: full-row blocks, one operand broadcast, row segments (inner dim above the block size).
    LARGE.append((f"Pow {dtype} grid 173x157", "Pow", dtype,
                  [("x", 7919, -9, [173, 1], True), ("y", 104729, -11, [1, 157], False)]))
    LARGE.append((f"Pow {dtype} rows 61x3x131", "Pow", dtype,
                  [("x", 7919, -9, [61, 3, 131], True), ("y", 104729, -11, [3, 1], False)]))
    LARGE.append((f"Pow {dtype} segments 3x13001", "Pow", dtype,
                  [("x", 7919, -9, [3, 1], True), ("y", 104729, -12, [1, 13001], False)]))
    LARGE.append((f"Pow {dtype} 20011", "Pow", dtype, [("x", 7919, -9, [20011], True), ("y", 104729, -12, [20011], False)]))


def large_input(dtype, multiplier, scale, shape, positive):
    """((i * multiplier) mod 20011 - 10005) * 2^scale, |…| when positive: exact in float32."""
    count = int(np.prod(shape))
    v = ((np.arange(count, dtype=np.int64) * multiplier) % 20011 - 10005).astype(np.float64) * 2.0 ** scale
    return (np.abs(v) if positive else v).astype(dtype).reshape(shape)


def checksum(words):
    h = 0xCBF29CE484222325
    for w in words:
        h = ((h ^ int(w)) * 0x100000001B3) % 2**64
    return h


def as_tf(tf, value, cast):
    if cast and isinstance(value, np.ndarray) and value.dtype == np.float32:
        return tf.cast(tf.constant(value), cast)
    return tf.constant(value)


def run_tf(mode):
    """Child process: every case under one setting; prints JSON of the (dtype, shape, bits) outputs
    and of the large cases' counts, heads and checksums."""
    import tensorflow as tf

    threads = 1 if mode == "eager1" else 2
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    results = []
    for label, op, inputs, _, attributes in CASES:
        attributes = dict(attributes)
        cast = attributes.pop("cast", None)
        if "out_type" in attributes:
            attributes["out_type"] = getattr(tf, attributes["out_type"])
        tensors = {k: as_tf(tf, v, cast) for k, v in inputs.items()}
        function = getattr(tf.raw_ops, op)
        try:
            if mode == "graph":
                outputs = tf.function(lambda: function(**tensors, **attributes), autograph=False)()
            else:
                outputs = function(**tensors, **attributes)
        except tf.errors.OpError as error:
            # Which error only: the message names the kernel and device differently per mode.
            outputs = type(error).__name__
        if isinstance(outputs, str):
            results.append([[encode(tf, t) for t in tensors.values()], outputs])
            continue
        if not isinstance(outputs, (tuple, list)):
            outputs = [outputs]
        results.append([encode(tf, t) for t in outputs])
        results[-1].insert(0, [encode(tf, t) for t in tensors.values()])
    large = []
    for label, op, dtype, arguments in LARGE:
        tensors = {name: tf.constant(large_input(dtype, *rest)) for name, *rest in arguments}
        function = getattr(tf.raw_ops, op)
        if mode == "graph":
            output = tf.function(lambda: function(**tensors), autograph=False)()
        else:
            output = function(**tensors)
        words = output.numpy().reshape(-1).view(np.uint32 if dtype == "float32" else np.uint64)
        large.append([len(words), [int(w) for w in words[:4]], checksum(words)])
    print(json.dumps([results, large]))


def encode(tf, tensor):
    dtype = tensor.dtype.name
    if dtype == "bfloat16":
        words = tf.bitcast(tensor, tf.uint16).numpy().reshape(-1)
    else:
        array = tensor.numpy()
        views = {"float32": np.uint32, "float64": np.uint64, "float16": np.uint16}
        words = array.reshape(-1).view(views[dtype]) if dtype in views else array.reshape(-1)
    return [dtype, list(tensor.shape), [bool(w) if dtype == "bool" else int(w) for w in words]]


SWIFT_KIND = {"float32": ("f32", 8), "float64": ("f64", 16), "float16": ("f16", 4), "bfloat16": ("bf16", 4),
              "int8": ("i8", 0), "int32": ("i32", 0), "int64": ("i64", 0), "bool": ("bool", 0)}


def swift_tensor(encoded):
    dtype, shape, words = encoded
    kind, digits = SWIFT_KIND[dtype]
    if dtype == "bool":
        text = ", ".join("true" if w else "false" for w in words)
    elif digits:
        text = ", ".join(f"0x{w:0{digits}X}" for w in words)
    else:
        text = ", ".join(str(w) for w in words)
    return f".{kind}({shape}, [{text}])"


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        run_tf(sys.argv[2])
        return
    runs = []
    for mode, onednn in (("eager1", "0"), ("eager2", "1"), ("graph", "1")):
        env = dict(os.environ, TF_ENABLE_ONEDNN_OPTS=onednn, TF_CPP_MIN_LOG_LEVEL="3")
        out = subprocess.run([sys.executable, __file__, "--child", mode], check=True, capture_output=True,
                             text=True, env=env).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    differing = [f"{label}: TF's outputs differ between eager with 1 thread and {mode}"
                 for other, mode in zip(runs[1:], ("eager with 2 threads and oneDNN", "tf.function"))
                 for (label, *_), a, b in zip(CASES + LARGE, runs[0][0] + runs[0][1], other[0] + other[1])
                 if a != b]
    if differing:
        sys.exit("\n".join(differing + ["not writing"]))
    print("// Generated by Tools/record_math_refs.py from TensorFlow 2.21 CPU (eager with 1 and 2 intra-op threads,")
    print("// oneDNN off and on, and tf.function agree); do not edit. Floats are raw bit patterns.")
    print()
    print("extension MathReference {")
    print("  static let recorded: [MathReference] = [")
    for (label, op, _, attributes, _), (inputs, *outputs) in zip(CASES, runs[0][0]):
        print(f"    MathReference(")
        print(f"      {json.dumps(label)}, op: {json.dumps(op)}, attributes: {attributes or '[:]'},")
        print(f"      inputs: [{', '.join(swift_tensor(t) for t in inputs)}],")
        if outputs and isinstance(outputs[0], str):
            print(f"      error: {json.dumps(outputs[0])}),")
        else:
            print(f"      outputs: [{', '.join(swift_tensor(t) for t in outputs)}]),")
    print("  ]")
    print()
    print("  static let large: [LargeMathReference] = [")
    for (label, op, dtype, arguments), (count, head, digest) in zip(LARGE, runs[0][1]):
        digits = 8 if dtype == "float32" else 16
        inputs = ", ".join(f".init(multiplier: {m}, scale: {e}, shape: {shape}, positive: {str(p).lower()})"
                           for _, m, e, shape, p in arguments)
        print(f"    LargeMathReference(")
        print(f"      {json.dumps(label)}, op: {json.dumps(op)}, dtype: .{dtype}, inputs: [{inputs}],")
        print(f"      count: {count}, head: [{', '.join(f'0x{w:0{digits}X}' for w in head)}], checksum: 0x{digest:016X}),")
    print("  ]")
    print("}")


if __name__ == "__main__":
    main()
