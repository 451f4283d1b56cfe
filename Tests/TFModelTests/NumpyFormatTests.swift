import Testing

@testable import TFModel

@Suite struct NumpyFormatTests {
  /// Each program line's print output, as real TensorFlow 2.21 / NumPy 2 print it.
  static let cases: [(String, String)] = [
    ("tf.constant([1e-5, 1.0])", "tf.Tensor([1.e-05 1.e+00], shape=(2,), dtype=float32)"),
    ("tf.constant([0.1, 0.2, 0.30000001])", "tf.Tensor([0.1 0.2 0.3], shape=(3,), dtype=float32)"),
    ("tf.constant(2.5)", "tf.Tensor(2.5, shape=(), dtype=float32)"),
    ("tf.constant([1.0, 2.0]) / 0.0", "tf.Tensor([inf inf], shape=(2,), dtype=float32)"),
    ("tf.constant(-0.0), np.array([-0.0, 0.0])", "tf.Tensor(-0.0, shape=(), dtype=float32) [-0.  0.]"),
    ("tf.zeros([2, 0])", "tf.Tensor([], shape=(2, 0), dtype=float32)"),
    ("tf.constant([True, False])", "tf.Tensor([ True False], shape=(2,), dtype=bool)"),
    ("np.array([1, 2]) / 2", "[0.5 1. ]"),
    ("(np.array([1, 2], dtype=np.int32) + np.array([1.5, 2.5], dtype=np.float32)).dtype", "float64"),
    ("tf.constant([1, 2]).shape, tf.constant([1, 2]).dtype", "(2,) <dtype: 'int32'>"),
    ("np.float32(0.1), np.float64(0.1)", "0.1 0.1"),
    (
      "tf.constant([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])",
      "tf.Tensor(\n[[[1 2]\n  [3 4]]\n\n [[5 6]\n  [7 8]]], shape=(2, 2, 2), dtype=int32)"
    ),
  ]

  @Test("print matches TensorFlow and NumPy", arguments: cases.indices)
  func printed(_ index: Int) {
    let (expression, expected) = Self.cases[index]
    let result = runProgram("import numpy as np\nimport tensorflow as tf\nprint(\(expression))\n")
    #expect(result.printed == expected + "\n", "print(\(expression))")
  }
}

@Suite struct TensorFormattingTests {
  @Test("f-strings and % format tensors and NumPy scalars as TF 2.21 does")
  func tensorFormatting() {
    let result = runProgram(
      """
      import numpy as np
      import tensorflow as tf
      t = tf.constant([1.0, 2.0])
      s = tf.constant(2.5)
      print(f"{t} {s} {s:.3f} {s.numpy():.1f} {np.float32(0.1)} {np.float32(0.1):.10f}")
      print("%s" % t, "%.3f" % s, "%d" % 2.7)
      """)
    #expect(
      result.printed == """
        [1. 2.] 2.5 2.500 2.5 0.10000000149011612 0.1000000015
        tf.Tensor([1. 2.], shape=(2,), dtype=float32) 2.500 2

        """)
  }
}

@Suite struct NumpyReductionTests {
  @Test("NumPy reductions follow NumPy 2's dtype rules; tf.reduce_max/min as TF 2.21")
  func reductions() {
    let result = runProgram(
      """
      import numpy as np
      import tensorflow as tf
      a = np.array([[1, 2], [3, 4]], dtype=np.int32)
      f = np.array([[1.5, -2.5], [0.25, 4.0]], dtype=np.float32)
      b = np.array([True, False, True])
      print(np.sum(a), np.sum(a, axis=0), np.sum(a, axis=1, keepdims=True), np.mean(a), np.mean(f, axis=0))
      print(np.max(f), np.min(a, axis=1), np.amax(b), np.sum(b), np.mean(b))
      print(repr(np.sum(a)), repr(f.max()), np.allclose([1.0, np.nan], [1.0, np.nan], equal_nan=True))
      print(tf.reduce_max(tf.constant([[1, 5], [3, 2]]), axis=1), tf.reduce_max(tf.zeros([0])))
      """)
    #expect(
      result.printed == """
        10 [4 6] [[3]
         [7]] 2.5 [0.875 0.75 ]
        4.0 [1 3] True 2 0.6666666666666666
        np.int64(10) np.float32(4.0) True
        tf.Tensor([5 3], shape=(2,), dtype=int32) tf.Tensor(-inf, shape=(), dtype=float32)

        """)
    #expect(
      programError("import numpy as np\nx = np.max(np.array([]))\n")?.message
        == "zero-size array to reduction operation maximum which has no identity")
    #expect(programError("import numpy as np\nx = np.sum(np.array([1]), axis=2)\n")?.type == "AxisError")
  }

  @Test("np.max and np.min refuse only a reduction over no elements, even to an empty result; __name__ (NumPy 2.4)")
  func emptyMaxMin() {
    let result = runProgram(
      """
      import numpy as np
      cases = [((0, 3), 1), ((0, 3), 0), ((3, 0), 0), ((3, 0), 1), ((0, 0), 0), ((0, 0), None), ((0,), None)]
      cases += [((0,), 0), ((2, 0, 3), (0, 2)), ((2, 0, 3), (1,)), ((0, 3), (0, 1)), ((0, 3), -1)]
      for shape, axis in cases:
          for f in [np.max, np.min]:
              try:
                  r = f(np.zeros(shape, dtype=np.float32), axis=axis)
                  print(f.__name__, shape, axis, r.shape, r.dtype)
              except ValueError as e:
                  print(f.__name__, shape, axis, "ValueError", e)
      print(np.max(np.zeros((0, 3), dtype=np.int32), axis=1, keepdims=True).shape)
      print(np.amax(np.zeros((4, 0)), axis=0).tolist())
      print(np.max.__name__, np.min.__name__, np.amax.__name__)
      """)
    #expect(
      result.printed == """
        max (0, 3) 1 (0,) float32
        min (0, 3) 1 (0,) float32
        max (0, 3) 0 ValueError zero-size array to reduction operation maximum which has no identity
        min (0, 3) 0 ValueError zero-size array to reduction operation minimum which has no identity
        max (3, 0) 0 (0,) float32
        min (3, 0) 0 (0,) float32
        max (3, 0) 1 ValueError zero-size array to reduction operation maximum which has no identity
        min (3, 0) 1 ValueError zero-size array to reduction operation minimum which has no identity
        max (0, 0) 0 ValueError zero-size array to reduction operation maximum which has no identity
        min (0, 0) 0 ValueError zero-size array to reduction operation minimum which has no identity
        max (0, 0) None ValueError zero-size array to reduction operation maximum which has no identity
        min (0, 0) None ValueError zero-size array to reduction operation minimum which has no identity
        max (0,) None ValueError zero-size array to reduction operation maximum which has no identity
        min (0,) None ValueError zero-size array to reduction operation minimum which has no identity
        max (0,) 0 ValueError zero-size array to reduction operation maximum which has no identity
        min (0,) 0 ValueError zero-size array to reduction operation minimum which has no identity
        max (2, 0, 3) (0, 2) (0,) float32
        min (2, 0, 3) (0, 2) (0,) float32
        max (2, 0, 3) (1,) ValueError zero-size array to reduction operation maximum which has no identity
        min (2, 0, 3) (1,) ValueError zero-size array to reduction operation minimum which has no identity
        max (0, 3) (0, 1) ValueError zero-size array to reduction operation maximum which has no identity
        min (0, 3) (0, 1) ValueError zero-size array to reduction operation minimum which has no identity
        max (0, 3) -1 (0,) float32
        min (0, 3) -1 (0,) float32
        (0, 1)
        []
        max min amax

        """)
  }
}

@Suite struct KerasLossTests {
  @Test("Keras 3 loss objects reduce as sum_over_batch_size by default, per real TF 2.21")
  func sparseCategoricalCrossentropy() {
    let result = runProgram(
      """
      import tensorflow as tf
      logits = tf.constant([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3], [1.0, 1.0, 1.0]])
      labels = tf.constant([0, 1, 2])
      print(tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=None)(labels, logits))
      print(tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, logits))
      print(tf.keras.losses.SparseCategoricalCrossentropy()(labels, logits))
      """)
    let lines = result.printed.split(separator: "\n").map(String.init)
    #expect(lines.first == "tf.Tensor([0.41702995 0.22004953 1.0986123 ], shape=(3,), dtype=float32)")
    #expect(
      Array(lines.dropFirst()) == [
        "tf.Tensor(0.5785639, shape=(), dtype=float32)", "tf.Tensor(0.80944544, shape=(), dtype=float32)",
      ])
  }
}
