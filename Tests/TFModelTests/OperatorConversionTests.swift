import Testing

@testable import TFModel

/// One expression on `x = tf.constant([1, 2])` and `f = tf.constant([1.0, 2.0])`, with what
/// real TensorFlow 2.21 gives eagerly and in a graph: `OK <dtype>` or `ERR <type> : <message>`.
struct OperatorCase: Sendable, CustomTestStringConvertible {
  let expression: String
  let eager: String
  let graph: String
  init(_ expression: String, eager: String, graph: String) {
    self.expression = expression
    self.eager = eager
    self.graph = graph
  }
  var testDescription: String { expression }
}

/// How TF converts Python literals among op inputs differs between `+`, `*`, `tf.add`,
/// `tf.multiply`, reflected operators and graph mode; these cases were recorded from real
/// TensorFlow 2.21 (Tools/tf_oracle.py's probe) and must match exactly.
@Suite struct OperatorConversionTests {
  static let cases: [OperatorCase] = [
    OperatorCase(
      "x + 0.5",
      eager:
        "ERR InvalidArgumentError : cannot compute AddV2 as input #1(zero-based) was expected to be a int32 tensor "
        + "but is a float tensor [Op:AddV2]",
      graph: "ERR TypeError : Input 'y' of 'AddV2' Op has type float32 that does not match type int32 of argument "
        + "'x'."),
    OperatorCase(
      "x - 0.5", eager: "ERR TypeError : Cannot convert 0.5 to EagerTensor of dtype int32",
      graph:
        "ERR TypeError : Expected int32 passed to parameter 'y' of op 'Sub', got 0.5 of type 'float' instead. Error: "
        + "Expected int32, but got 0.5 of type 'float'."
    ),
    OperatorCase(
      "x * 0.5", eager: "ERR TypeError : Cannot convert 0.5 to EagerTensor of dtype int32",
      graph:
        "ERR TypeError : Expected int32 passed to parameter 'y' of op 'Mul', got 0.5 of type 'float' instead. Error: "
        + "Expected int32, but got 0.5 of type 'float'."
    ),
    OperatorCase(
      "x / 0.5", eager: "ERR TypeError : `x` and `y` must have the same dtype, got tf.int32 != tf.float32.",
      graph: "ERR TypeError : `x` and `y` must have the same dtype, got tf.int32 != tf.float32."),
    OperatorCase(
      "x // 0.5", eager: "ERR TypeError : Cannot convert 0.5 to EagerTensor of dtype int32",
      graph:
        "ERR TypeError : Expected int32 passed to parameter 'y' of op 'FloorDiv', got 0.5 of type 'float' instead. "
        + "Error: Expected int32, but got 0.5 of type 'float'."
    ),
    OperatorCase(
      "0.5 + x", eager: "ERR TypeError : Cannot convert 0.5 to EagerTensor of dtype int32",
      graph: "ERR TypeError : Expected int32, but got 0.5 of type 'float'."),
    OperatorCase(
      "0.5 * x", eager: "ERR TypeError : Cannot convert 0.5 to EagerTensor of dtype int32",
      graph: "ERR TypeError : Expected int32, but got 0.5 of type 'float'."),
    OperatorCase(
      "0.5 - x", eager: "ERR TypeError : Cannot convert 0.5 to EagerTensor of dtype int32",
      graph: "ERR TypeError : Expected int32, but got 0.5 of type 'float'."),
    OperatorCase(
      "0.5 / x", eager: "ERR TypeError : Cannot convert 0.5 to EagerTensor of dtype int32",
      graph: "ERR TypeError : Expected int32, but got 0.5 of type 'float'."),
    OperatorCase(
      "tf.add(x, 0.5)",
      eager:
        "ERR InvalidArgumentError : cannot compute AddV2 as input #1(zero-based) was expected to be a int32 tensor "
        + "but is a float tensor [Op:AddV2]",
      graph: "ERR TypeError : Input 'y' of 'AddV2' Op has type float32 that does not match type int32 of argument "
        + "'x'."),
    OperatorCase(
      "tf.multiply(x, 0.5)", eager: "ERR TypeError : Cannot convert 0.5 to EagerTensor of dtype int32",
      graph:
        "ERR TypeError : Expected int32 passed to parameter 'y' of op 'Mul', got 0.5 of type 'float' instead. Error: "
        + "Expected int32, but got 0.5 of type 'float'."
    ),
    OperatorCase(
      "tf.subtract(x, 0.5)", eager: "ERR TypeError : Cannot convert 0.5 to EagerTensor of dtype int32",
      graph:
        "ERR TypeError : Expected int32 passed to parameter 'y' of op 'Sub', got 0.5 of type 'float' instead. Error: "
        + "Expected int32, but got 0.5 of type 'float'."
    ),
    OperatorCase(
      "tf.add(0.5, x)",
      eager:
        "ERR InvalidArgumentError : cannot compute AddV2 as input #1(zero-based) was expected to be a float tensor "
        + "but is a int32 tensor [Op:AddV2]",
      graph: "ERR TypeError : Input 'y' of 'AddV2' Op has type int32 that does not match type float32 of argument "
        + "'x'."),
    OperatorCase(
      "tf.divide(x, 0.5)", eager: "ERR TypeError : `x` and `y` must have the same dtype, got tf.int32 != tf.float32.",
      graph: "ERR TypeError : `x` and `y` must have the same dtype, got tf.int32 != tf.float32."),
    OperatorCase(
      "x + f",
      eager:
        "ERR InvalidArgumentError : cannot compute AddV2 as input #1(zero-based) was expected to be a int32 tensor "
        + "but is a float tensor [Op:AddV2]",
      graph: "ERR TypeError : Input 'y' of 'AddV2' Op has type float32 that does not match type int32 of argument "
        + "'x'."),
    OperatorCase(
      "x * f",
      eager:
        "ERR InvalidArgumentError : cannot compute Mul as input #1(zero-based) was expected to be a int32 tensor but "
        + "is a float tensor [Op:Mul]",
      graph: "ERR TypeError : Input 'y' of 'Mul' Op has type float32 that does not match type int32 of argument 'x'."),
    OperatorCase(
      "tf.multiply(x, f)",
      eager:
        "ERR InvalidArgumentError : cannot compute Mul as input #1(zero-based) was expected to be a int32 tensor but "
        + "is a float tensor [Op:Mul]",
      graph: "ERR TypeError : Input 'y' of 'Mul' Op has type float32 that does not match type int32 of argument 'x'."),
    OperatorCase(
      "tf.matmul([[1, 2]], [[0.5], [1.0]])",
      eager:
        "ERR InvalidArgumentError : cannot compute MatMul as input #1(zero-based) was expected to be a int32 tensor "
        + "but is a float tensor [Op:MatMul]",
      graph: "ERR TypeError : Input 'b' of 'MatMul' Op has type float32 that does not match type int32 of argument 'a'."
    ),
    OperatorCase("f + 1", eager: "OK float32", graph: "OK float32"),
    OperatorCase("1 + f", eager: "OK float32", graph: "OK float32"),
    OperatorCase(
      "tf.add(1, f)",
      eager:
        "ERR InvalidArgumentError : cannot compute AddV2 as input #1(zero-based) was expected to be a int32 tensor "
        + "but is a float tensor [Op:AddV2]",
      graph: "ERR TypeError : Input 'y' of 'AddV2' Op has type float32 that does not match type int32 of argument "
        + "'x'."),
    OperatorCase("tf.add(f, 1)", eager: "OK float32", graph: "OK float32"),
    OperatorCase("f * True", eager: "OK float32", graph: "OK float32"),
    OperatorCase(
      "tf.multiply(0.5, x)", eager: "ERR TypeError : Cannot convert 0.5 to EagerTensor of dtype int32",
      graph: "ERR TypeError : Input 'y' of 'Mul' Op has type int32 that does not match type float32 of argument 'x'."),
    OperatorCase(
      "tf.subtract(1, f)", eager: "OK float32",
      graph: "ERR TypeError : Input 'y' of 'Sub' Op has type float32 that does not match type int32 of argument 'x'."),
    OperatorCase(
      "tf.maximum(x, 0.5)", eager: "ERR TypeError : Cannot convert 0.5 to EagerTensor of dtype int32",
      graph:
        "ERR TypeError : Expected int32 passed to parameter 'y' of op 'Maximum', got 0.5 of type 'float' instead. "
        + "Error: Expected int32, but got 0.5 of type 'float'."
    ),
    OperatorCase(
      "tf.multiply(1, f)", eager: "OK float32",
      graph: "ERR TypeError : Input 'y' of 'Mul' Op has type float32 that does not match type int32 of argument 'x'."),
    OperatorCase(
      "tf.multiply([1, 2], f)", eager: "OK float32",
      graph: "ERR TypeError : Input 'y' of 'Mul' Op has type float32 that does not match type int32 of argument 'x'."),
    OperatorCase(
      "x @ [[0.5], [1.0]]",
      eager:
        "ERR InvalidArgumentError : cannot compute MatMul as input #1(zero-based) was expected to be a int32 tensor "
        + "but is a float tensor [Op:MatMul]",
      graph: "ERR TypeError : Input 'b' of 'MatMul' Op has type float32 that does not match type int32 of argument 'a'."
    ),
    OperatorCase(
      "f * tf.constant(2.0, tf.float64)",
      eager:
        "ERR InvalidArgumentError : cannot compute Mul as input #1(zero-based) was expected to be a float tensor but "
        + "is a double tensor [Op:Mul]",
      graph: "ERR TypeError : Input 'y' of 'Mul' Op has type float64 that does not match type float32 of argument "
        + "'x'."),
    OperatorCase("tf.multiply(x, 2)", eager: "OK int32", graph: "OK int32"),
    OperatorCase(
      "x - 2.0", eager: "ERR TypeError : Cannot convert 2.0 to EagerTensor of dtype int32",
      graph:
        "ERR TypeError : Expected int32 passed to parameter 'y' of op 'Sub', got 2.0 of type 'float' instead. Error: "
        + "Expected int32, but got 2.0 of type 'float'."
    ),
    OperatorCase(
      "x * [0.5, 1]", eager: "ERR TypeError : Cannot convert [0.5, 1] to EagerTensor of dtype int32",
      graph:
        "ERR TypeError : Expected int32 passed to parameter 'y' of op 'Mul', got [0.5, 1] of type 'list' instead. "
        + "Error: Expected int32, but got 0.5 of type 'float'."
    ),
    OperatorCase(
      "[0.5, 1] * x", eager: "ERR TypeError : Cannot convert [0.5, 1] to EagerTensor of dtype int32",
      graph: "ERR TypeError : Expected int32, but got 0.5 of type 'float'."),
    OperatorCase("2 - f", eager: "OK float32", graph: "OK float32"),
    OperatorCase("f - [1, 2]", eager: "OK float32", graph: "OK float32"),
  ]

  func outcome(_ expression: String, graph: Bool) -> String {
    let program =
      "import tensorflow as tf\n" + (graph ? "tf.compat.v1.disable_eager_execution()\n" : "")
      + "x = tf.constant([1, 2])\nf = tf.constant([1.0, 2.0])\nd = (\(expression)).dtype.name\n"
    return outcomeText(program, output: "d")
  }

  /// Tensors with Python numbers take the eager scalar path (`0.01 * g`); the printed values
  /// were recorded from real TensorFlow 2.21.
  @Test("a tensor and a Python number compute what TF computes, eagerly and on the tape")
  func scalarOperands() {
    let result = runProgram(
      """
      import tensorflow as tf
      f = tf.constant([0.1, 2.5, -3.0])
      x = tf.constant([1, 2, 3])
      y = tf.constant([4, 5, 6], dtype=tf.int64)
      d = tf.constant([0.1, 0.2], dtype=tf.float64)
      v = tf.Variable([1.5, -0.5])
      print((0.01 * f).numpy().tolist(), (f * 3).numpy().tolist(), (2 - f).numpy().tolist(), (f - 0.3).numpy().tolist())
      print((x - 3).numpy().tolist(), (3 * x).numpy().tolist(), (1 + y).numpy().tolist(), (y * 2).dtype.name)
      print((0.1 + d).numpy().tolist(), (d * 3).numpy().tolist(), (0.3 * v).numpy().tolist(), (v - 1).numpy().tolist())
      with tf.GradientTape() as tape:
          z = tf.reduce_sum(0.5 * v * v - 2 * v)
      print(tape.gradient(z, v).numpy().tolist())

      """)
    #expect(
      result.printed == """
        [0.0010000000474974513, 0.02499999850988388, -0.029999999329447746] [0.30000001192092896, 7.5, -9.0] \
        [1.899999976158142, -0.5, 5.0] [-0.20000001788139343, 2.200000047683716, -3.299999952316284]
        [-2, -1, 0] [3, 6, 9] [5, 6, 7] int64
        [0.2, 0.30000000000000004] [0.30000000000000004, 0.6000000000000001] [0.45000001788139343, \
        -0.15000000596046448] [0.5, -1.5]
        [-0.5, -2.5]

        """)
  }

  @Test("eager conversion and errors match TF", arguments: cases)
  func eager(_ testCase: OperatorCase) {
    #expect(outcome(testCase.expression, graph: false) == testCase.eager)
  }

  @Test("graph conversion and errors match TF", arguments: cases)
  func graph(_ testCase: OperatorCase) {
    #expect(outcome(testCase.expression, graph: true) == testCase.graph)
  }
}

/// Graph-construction messages name nodes as TF does: literals converted inside an op's name
/// scope (`matmul/b`), case-insensitive unique names (`mul` after `Mul` is `mul_1`), and
/// the reduction's computed axes. Expected strings recorded from real TF 2.21.
@Suite struct GraphMessageTests {
  static let cases: [(String, String)] = [
    (
      "tf.matmul(v, [1, 2])",
      "ValueError: Shape must be rank 2 but is rank 1 for '{{node MatMul}} = MatMul[T=DT_FLOAT, grad_a=false, "
        + "grad_b=false, transpose_a=false, transpose_b=false](Variable/read, MatMul/b)' with input shapes: [2], [2]."
    ),
    (
      "[1, 2] @ m",
      "ValueError: Shape must be rank 2 but is rank 1 for '{{node matmul}} = MatMul[T=DT_FLOAT, grad_a=false, "
        + "grad_b=false, transpose_a=false, transpose_b=false](matmul/x, Const_1)' with input shapes: [2], [2,2]."
    ),
    (
      "tf.minimum(tf.multiply(m, 2.0), (tf.zeros([2, 2]) * [1, 2]) @ v)",
      "ValueError: Shape must be rank 2 but is rank 1 for '{{node matmul}} = MatMul[T=DT_FLOAT, grad_a=false, "
        + "grad_b=false, transpose_a=false, transpose_b=false](mul_1, Variable/read)' with input shapes: [2,2], [2]."
    ),
    (
      "tf.reduce_mean(-3, axis=-1, keepdims=True)",
      "ValueError: Invalid reduction dimension -1 for input with 0 dimensions. for '{{node Mean}} = Mean[T=DT_INT32, "
        + "Tidx=DT_INT32, keep_dims=true](Mean/input, Mean/reduction_indices)' with input shapes: [], [] and with "
        + "computed input tensors: input[1] = <-1>."
    ),
    (
      "tf.reshape(1, [2, -1])",
      "ValueError: Dimension size must be evenly divisible by 2 but is 1 for '{{node Reshape}} = Reshape[T=DT_INT32, "
        + "Tshape=DT_INT32](Reshape/tensor, Reshape/shape)' with input shapes: [], [2] and with input tensors "
        + "computed as partial shapes: input[1] = [2,?]."
    ),
    (
      "v @ np.array([1.5, 2.5])",
      "NotImplementedError: Cannot convert a symbolic tf.Tensor (Variable/read:0) to a numpy array. This error may "
        + "indicate that you're trying to pass a Tensor to a NumPy call, which is not supported."
    ),
  ]

  @Test("graph errors name nodes as TF 2.21 does", arguments: cases.indices)
  func message(_ index: Int) {
    let (expression, expected) = Self.cases[index]
    let program = """
      import numpy as np
      import tensorflow.compat.v1 as tf
      tf.disable_v2_behavior()
      x = tf.constant([1.0, 2.0])
      m = tf.constant([[1.0, 2.0], [3.0, 4.0]])
      v = tf.Variable([0.5, 1.5])
      r = \(expression)

      """
    let error = programError(program)
    #expect(error.map { "\($0.type): \($0.message)" } == expected)
  }
}
