import Testing
@testable import TFModel

/// Where Python, NumPy and TensorFlow meet: which side's operator runs, and what it gives.
/// Each expected outcome was recorded from real TF 2.21 / NumPy 2.4 / CPython 3.11.
@Suite struct InteropTests {
  static let cases: [(String, String)] = [
    ("(tf.minimum(1, 3) + 1) * [[1.0, 2.0]]", "OK [[1.0, 2.0], [1.0, 2.0]]"),
    ("np.int32(3) * [1, 2]", "OK [1, 2, 1, 2, 1, 2]"),
    ("[1, 2] * np.float32(0.5)", "ERR TypeError: can't multiply sequence by non-int of type 'numpy.float32'"),
    ("np.sum([1, 2, [1.0, 2.0]])",
     "ERR ValueError: setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions. The detected shape was (3,) + inhomogeneous part."),
    ("tf.divide(True, np.array([1.5, 2.5]))", "OK array([0.66666667, 0.4       ])"),
    ("np.float32(0.5) @ 1", "ERR TypeError: unsupported operand type(s) for @: 'numpy.float32' and 'int'"),
    ("f - np.array([[1.0], [2.0]])",
     "OK <tf.Tensor: shape=(2, 2), dtype=float32, numpy= array([[ 0.,  1.],        [-1.,  0.]], dtype=float32)>"),
    ("x * [1.0, 2.0]", "ERR TypeError: Cannot convert [1.0, 2.0] to EagerTensor of dtype int32"),
    ("np.float32(0.00999999) < 0.01", "OK np.True_"),
    ("np.array([1.0, 3.0]) <= 2", "OK array([ True, False])"),
    ("np.int32(3) >= 3.5", "OK np.False_"),
    ("np.array([1, 2]) != np.array([1.0, 3.0])", "OK array([False,  True])"),
  ]

  @Test("operators across Python, NumPy and TF values behave as in real TF", arguments: cases.indices)
  func interop(_ index: Int) {
    let (expression, expected) = Self.cases[index]
    let result = runProgram("""
      import numpy as np
      import tensorflow as tf
      x = tf.constant([1, 2])
      f = tf.constant([1.0, 2.0])
      r = \(expression)
      print(repr(r))
      """)
    let outcome: String
    switch result.outcome {
    case .completed: outcome = "OK " + result.printed.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
    case let .failed(error): outcome = "ERR \(error.type): \(error.message)"
    }
    #expect(outcome == expected)
  }
}

import Foundation
