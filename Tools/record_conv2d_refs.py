"""Records TensorFlow's Conv2D results and errors for Lockstep's Conv2D kernel tests.

Writes Tests/TensorCoreTests/Conv2DReferences.swift. Needs real TensorFlow (CI never runs it):

    ~/tfvenv/bin/python Tools/record_conv2d_refs.py

Inputs come from a formula that Conv2DTests.swift computes the same way, so only TF's outputs
are stored. For float32/float64, element i of the input is ((i * 37) % 101 - 50) / 101 and of
the filter ((i * 53) % 89 - 44) / 89, computed in double (and rounded once to float32). For
float16 the denominators are 64 and 128: exact in float16, and every window sum is exact in
float32, so the float16 result is TF's single rounding of the exact sum.

For SAME padding the script also checks the pads it records: TF's SAME result must equal its
EXPLICIT result with those pads, bit for bit.
"""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "TensorCoreTests", "Conv2DReferences.swift")

# name, input shape, filter shape, strides, dilations, padding ("SAME", "VALID" or 8 explicit pads)
CASES = [
    ("same3x3", [2, 4, 5, 3], [3, 3, 3, 2], [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
    ("valid3x3Stride2", [2, 7, 6, 3], [3, 3, 3, 2], [1, 2, 2, 1], [1, 1, 1, 1], "VALID"),
    ("validStride3", [1, 10, 11, 2], [3, 3, 2, 2], [1, 3, 3, 1], [1, 1, 1, 1], "VALID"),
    ("sameEven2x2Stride2", [1, 5, 7, 2], [2, 2, 2, 3], [1, 2, 2, 1], [1, 1, 1, 1], "SAME"),
    ("same4x4Stride3", [1, 8, 7, 2], [4, 4, 2, 2], [1, 3, 3, 1], [1, 1, 1, 1], "SAME"),
    ("sameDilated2", [1, 6, 6, 2], [3, 3, 2, 2], [1, 1, 1, 1], [1, 2, 2, 1], "SAME"),
    ("sameDilatedStrided", [1, 9, 8, 2], [3, 2, 2, 2], [1, 3, 2, 1], [1, 2, 3, 1], "SAME"),
    ("validDilated", [1, 8, 9, 2], [2, 3, 2, 2], [1, 1, 1, 1], [1, 3, 2, 1], "VALID"),
    ("explicit", [1, 5, 5, 3], [3, 2, 3, 2], [1, 1, 1, 1], [1, 1, 1, 1], [0, 0, 2, 1, 0, 3, 0, 0]),
    ("explicitStrided", [2, 6, 5, 2], [2, 3, 2, 3], [1, 2, 3, 1], [1, 1, 1, 1], [0, 0, 1, 0, 2, 2, 0, 0]),
    ("pointwise", [2, 3, 4, 3], [1, 1, 3, 2], [1, 1, 1, 1], [1, 1, 1, 1], "VALID"),
    ("pointwiseStride2", [1, 5, 5, 3], [1, 1, 3, 2], [1, 2, 2, 1], [1, 1, 1, 1], "SAME"),
    ("grouped", [1, 4, 5, 4], [3, 3, 2, 4], [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
    ("groupedPointwise", [2, 3, 3, 6], [1, 1, 2, 3], [1, 1, 1, 1], [1, 1, 1, 1], "VALID"),
    ("groupedDilatedStrided", [1, 7, 6, 6], [2, 2, 2, 3], [1, 2, 1, 1], [1, 1, 2, 1], "SAME"),
    ("fullWindow", [3, 4, 5, 2], [4, 5, 2, 3], [1, 1, 1, 1], [1, 1, 1, 1], "VALID"),
    ("filterLargerThanInput", [1, 2, 3, 2], [5, 5, 2, 2], [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
    ("validEmptyOutput", [1, 2, 2, 3], [5, 5, 3, 4], [1, 2, 2, 1], [1, 1, 1, 1], "VALID"),
    ("inputWithoutChannels", [1, 3, 3, 0], [3, 3, 3, 4], [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
    ("emptyBatch", [0, 5, 5, 3], [3, 3, 3, 4], [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
]

# A case large enough for several im2col chunks and parallel filling; only a sample is stored.
LARGE = ("large", [2, 64, 64, 16], [3, 3, 16, 4], [1, 1, 1, 1], [1, 1, 1, 1], "SAME")
LARGE_SAMPLE = [i * 8191 % (2 * 64 * 64 * 4) for i in range(64)]

# name, input shape, filter shape, strides, dilations, padding
ERRORS = [
    ("channelMismatch", [1, 5, 5, 3], [3, 3, 2, 4], [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
    ("groupsOutputDepth", [1, 5, 5, 4], [3, 3, 2, 5], [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
    ("outputDepthBelowGroups", [1, 5, 5, 4], [3, 3, 1, 2], [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
    ("zeroStride", [1, 5, 5, 3], [3, 3, 3, 4], [1, 0, 1, 1], [1, 1, 1, 1], "SAME"),
    ("negativeStride", [1, 5, 5, 3], [3, 3, 3, 4], [1, 1, -2, 1], [1, 1, 1, 1], "SAME"),
    ("batchStride", [1, 5, 5, 3], [3, 3, 3, 4], [2, 1, 1, 1], [1, 1, 1, 1], "SAME"),
    ("depthStride", [1, 5, 5, 3], [3, 3, 3, 4], [1, 1, 1, 2], [1, 1, 1, 1], "SAME"),
    ("batchStrideBeforeZeroStride", [1, 5, 5, 3], [3, 3, 3, 4], [2, 0, 1, 1], [1, 1, 1, 1], "SAME"),
    ("zeroDilation", [1, 5, 5, 3], [3, 3, 3, 4], [1, 1, 1, 1], [1, 0, 1, 1], "SAME"),
    ("depthDilation", [1, 5, 5, 3], [3, 3, 3, 4], [1, 1, 1, 1], [1, 1, 1, 2], "SAME"),
    ("stridesLength", [1, 5, 5, 3], [3, 3, 3, 4], [1, 1, 1], [1, 1, 1, 1], "SAME"),
    ("dilationsLength", [1, 5, 5, 3], [3, 3, 3, 4], [1, 1, 1], [1, 1, 1], "SAME"),
    ("validNegativeOutput", [1, 2, 2, 3], [5, 5, 3, 4], [1, 1, 1, 1], [1, 1, 1, 1], "VALID"),
    ("validNegativeWidth", [1, 9, 1, 3], [5, 5, 3, 4], [1, 1, 1, 1], [1, 1, 1, 1], "VALID"),
    ("dilatedNegativeOutput", [1, 4, 4, 3], [3, 3, 3, 4], [1, 1, 1, 1], [1, 3, 3, 1], "VALID"),
    ("explicitNegativeOutput", [1, 2, 2, 3], [5, 5, 3, 4], [1, 1, 1, 1], [1, 1, 1, 1], [0, 0, 1, 0, 0, 0, 0, 0]),
    ("explicitBatchPadding", [1, 5, 5, 3], [3, 3, 3, 4], [1, 1, 1, 1], [1, 1, 1, 1], [1, 0, 1, 1, 1, 1, 0, 0]),
    ("explicitDepthPadding", [1, 5, 5, 3], [3, 3, 3, 4], [1, 1, 1, 1], [1, 1, 1, 1], [0, 0, 1, 1, 1, 1, 0, 1]),
    ("explicitNegativePadding", [1, 5, 5, 3], [3, 3, 3, 4], [1, 1, 1, 1], [1, 1, 1, 1], [0, 0, -1, 1, 1, 1, 0, 0]),
    ("explicitPaddingCount", [1, 5, 5, 3], [3, 3, 3, 4], [1, 1, 1, 1], [1, 1, 1, 1], [0, 0, 1, 1, 1, 1]),
    ("inputRank", [5, 5, 3], [3, 3, 3, 4], [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
    ("filterRank", [1, 5, 5, 3], [3, 3, 4], [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
    ("zeroFilterDepth", [1, 5, 5, 0], [3, 3, 0, 4], [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
    ("emptyFilter", [1, 5, 5, 3], [0, 3, 3, 4], [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
]


def values(count, multiplier, modulus, denominator, dtype):
    i = np.arange(count, dtype=np.int64)
    return (((i * multiplier) % modulus - modulus // 2) / float(denominator)).astype(dtype)


def operands(input_shape, filter_shape, dtype):
    half = dtype == np.float16
    x = values(int(np.prod(input_shape)), 37, 101, 64 if half else 101, dtype).reshape(input_shape)
    w = values(int(np.prod(filter_shape)), 53, 89, 128 if half else 89, dtype).reshape(filter_shape)
    return x, w


def conv(x, w, strides, dilations, padding):
    kwargs = dict(strides=strides, dilations=dilations)
    if isinstance(padding, str):
        kwargs["padding"] = padding
    else:
        kwargs.update(padding="EXPLICIT", explicit_paddings=padding)
    return tf.raw_ops.Conv2D(input=tf.constant(x), filter=tf.constant(w), **kwargs).numpy()


def same_pads(size, kernel, stride, dilation):
    effective = (kernel - 1) * dilation + 1
    out = (size + stride - 1) // stride
    needed = max(0, (out - 1) * stride + effective - size)
    return needed // 2, needed - needed // 2


def pads_of(case):
    _, xs, ws, st, dl, padding = case
    if padding == "VALID":
        return [0, 0, 0, 0]
    if padding == "SAME":
        return list(same_pads(xs[1], ws[0], st[1], dl[1]) + same_pads(xs[2], ws[1], st[2], dl[2]))
    return padding[2:6]


def check_same_pads(case, pads):
    _, xs, ws, st, dl, padding = case
    if padding != "SAME" or 0 in xs:
        return
    x, w = operands(xs, ws, np.float64)
    explicit = [0, 0, pads[0], pads[1], pads[2], pads[3], 0, 0]
    same = conv(x, w, st, dl, "SAME")
    if not np.array_equal(same, conv(x, w, st, dl, explicit)):
        sys.exit(f"{case[0]}: SAME is not EXPLICIT {explicit}")


def swift_list(array, kind, indent="      "):
    items = []
    for v in np.asarray(array).ravel():
        if kind == "float64":
            items.append(repr(float(v)))
        else:
            items.append(np.format_float_positional(np.float32(v), unique=True, trim="0"))
    lines = [", ".join(items[i:i + 10]) for i in range(0, len(items), 10)]
    if not lines:
        return "[]"
    inner = indent + "  "
    return f"[\n{inner}" + f",\n{inner}".join(lines) + f",\n{indent}]"


def swift_padding(padding):
    if padding == "SAME":
        return ".same"
    if padding == "VALID":
        return ".valid"
    return f".explicit({padding})"


def record_error(case):
    name, xs, ws, st, dl, padding = case
    try:
        conv(np.ones(xs, np.float32), np.ones(ws, np.float32), st, dl, padding)
    except (tf.errors.InvalidArgumentError, tf.errors.UnimplementedError) as error:
        kind = "unimplemented" if isinstance(error, tf.errors.UnimplementedError) else "invalidArgument"
        message = error.message.split("}} ", 1)[-1].split(" [Op:")[0]
        return kind, message
    sys.exit(f"{name}: TensorFlow raised nothing")


def main():
    lines = [
        f"// Generated by Tools/record_conv2d_refs.py from TensorFlow {tf.__version__}; do not edit.",
        "// Outputs of tf.raw_ops.Conv2D (eager, CPU) for the inputs Conv2DTests builds.",
        "",
        "extension Conv2DReference {",
        "  /// Small convolutions with every output value TensorFlow computed.",
        "  static let cases: [Conv2DReference] = [",
    ]
    for case in CASES:
        name, xs, ws, st, dl, padding = case
        pads = pads_of(case)
        check_same_pads(case, pads)
        results = {}
        for kind, dtype in (("float32", np.float32), ("float64", np.float64), ("float16", np.float16)):
            x, w = operands(xs, ws, dtype)
            results[kind] = conv(x, w, st, dl, padding)
        shape = list(results["float32"].shape)
        lines += [
            "    Conv2DReference(",
            f"      name: \"{name}\", input: {xs}, filter: {ws}, strides: {st}, dilations: {dl},",
            f"      padding: {swift_padding(padding)}, outputShape: {shape}, pads: {pads},",
            f"      float32: {swift_list(results['float32'], 'float32')},",
            f"      float64: {swift_list(results['float64'], 'float64')},",
            f"      float16: {swift_list(results['float16'], 'float16')}),",
        ]
    lines += ["  ]", ""]

    name, xs, ws, st, dl, padding = LARGE
    x, w = operands(xs, ws, np.float32)
    large = conv(x, w, st, dl, padding).ravel()
    lines += [
        "  /// A larger float32 convolution (several im2col chunks): TF's values at `sampleIndices`.",
        "  static let large = Conv2DReference(",
        f"    name: \"{name}\", input: {xs}, filter: {ws}, strides: {st}, dilations: {dl},",
        f"    padding: {swift_padding(padding)}, outputShape: {list(conv(x, w, st, dl, padding).shape)}, "
        f"pads: {pads_of(LARGE)},",
        f"    float32: {swift_list(large[LARGE_SAMPLE], 'float32', indent='    ')})",
        "",
        f"  /// The flat output indices `large.float32` holds.",
        f"  static let sampleIndices: [Int] = {LARGE_SAMPLE}",
        "",
        "  /// Geometries TensorFlow refuses, with its exception (as a TensorError case) and message.",
        "  static let errors: [Conv2DReference] = [",
    ]
    for case in ERRORS:
        name, xs, ws, st, dl, padding = case
        kind, message = record_error(case)
        escaped = message.replace("\\", "\\\\").replace('"', '\\"')
        lines += [
            "    Conv2DReference(",
            f"      name: \"{name}\", input: {xs}, filter: {ws}, strides: {st}, dilations: {dl},",
            f"      padding: {swift_padding(padding)},",
            f"      error: .{kind}(\"{escaped}\")),",
        ]
    lines += ["  ]", "}", ""]
    with open(OUT, "w") as file:
        file.write("\n".join(lines))
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
