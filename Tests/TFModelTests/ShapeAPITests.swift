import Testing

@testable import TFModel

/// `tf.expand_dims` and `tf.squeeze` (TF2 and `tf.compat.v1`) on `x` (`[2, 3]`) and `y`
/// (`[1, 3, 1]`), both constants: array_ops's argument handling, input conversion and node
/// naming, the ExpandDims and Squeeze shape functions' ValueErrors and the CPU kernels'
/// errors, as real TensorFlow 2.21 gives them eagerly (`OK <shape> <dtype>`) and in a graph
/// run by a session (`OK <name> <shape> <dtype>`), or `ERR <type> : <message>`. Eager
/// messages are TF's without the `{{function_node …}} ` prefix and ` name: ` suffix.
@Suite struct ShapeAPITests {
  static let cases: [OperatorCase] = [
    OperatorCase(
      "tf.expand_dims(x, 0)",
      eager: "OK (1, 2, 3) float32",
      graph: "OK ExpandDims:0 (1, 2, 3) float32"),
    OperatorCase(
      "tf.expand_dims(x, -1)",
      eager: "OK (2, 3, 1) float32",
      graph: "OK ExpandDims:0 (2, 3, 1) float32"),
    OperatorCase(
      "tf.expand_dims(x, 1, name=\"grown\")",
      eager: "OK (2, 1, 3) float32",
      graph: "OK grown:0 (2, 1, 3) float32"),
    OperatorCase(
      "tf.expand_dims(x, [1])",
      eager: "OK (2, 1, 3) float32",
      graph: "OK ExpandDims:0 (2, 1, 3) float32"),
    OperatorCase(
      "tf.expand_dims(x, np.array(2))",
      eager: "OK (2, 3, 1) float32",
      graph: "OK ExpandDims:0 (2, 3, 1) float32"),
    OperatorCase(
      "tf.expand_dims([1, 2], 0)",
      eager: "OK (1, 2) int32",
      graph: "OK ExpandDims:0 (1, 2) int32"),
    OperatorCase(
      "tf.expand_dims(x, 3)",
      eager: "ERR InvalidArgumentError : Tried to expand dim index 3 for tensor with 2 dimensions. [Op:ExpandDims]",
      graph:
        "ERR ValueError : dim 3 not in the interval [-3, 2]. for '{{node ExpandDims}} = ExpandDims[T=DT_FLOAT, "
        + "Tdim=DT_INT32](Const, ExpandDims/dim)' with input shapes: [2,3], [] and with computed input tensors: "
        + "input[1] = <3>."
    ),
    OperatorCase(
      "tf.expand_dims(x, -4)",
      eager: "ERR InvalidArgumentError : Tried to expand dim index -4 for tensor with 2 dimensions. [Op:ExpandDims]",
      graph:
        "ERR ValueError : dim -4 not in the interval [-3, 2]. for '{{node ExpandDims}} = ExpandDims[T=DT_FLOAT, "
        + "Tdim=DT_INT32](Const, ExpandDims/dim)' with input shapes: [2,3], [] and with computed input tensors: "
        + "input[1] = <-4>."
    ),
    OperatorCase(
      "tf.expand_dims(x, [0, 1])",
      eager: "ERR InvalidArgumentError : 'dim' must be a tensor with a single value [Op:ExpandDims]",
      graph:
        "ERR ValueError : 'dim' input must be a tensor with a single value for '{{node ExpandDims}} = "
        + "ExpandDims[T=DT_FLOAT, Tdim=DT_INT32](Const, ExpandDims/dim)' with input shapes: [2,3], [2] and with "
        + "computed input tensors: input[1] = <0 1>."
    ),
    OperatorCase(
      "tf.expand_dims(x, None)",
      eager:
        "ERR ValueError : Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.",
      graph: "ERR ValueError : Tried to convert 'dim' to a tensor and failed. Error: None values not supported."),
    OperatorCase(
      "tf.expand_dims(x, axis=-3)",
      eager: "OK (1, 2, 3) float32",
      graph: "OK ExpandDims:0 (1, 2, 3) float32"),
    OperatorCase(
      "tf.compat.v1.expand_dims(x, 1)",
      eager: "OK (2, 1, 3) float32",
      graph: "OK ExpandDims:0 (2, 1, 3) float32"),
    OperatorCase(
      "tf.compat.v1.expand_dims(x, dim=1)",
      eager: "OK (2, 1, 3) float32",
      graph: "OK ExpandDims:0 (2, 1, 3) float32"),
    OperatorCase(
      "tf.compat.v1.expand_dims(x, 0, dim=1)",
      eager: "ERR ValueError : Cannot specify both 'dim' and 'axis'.",
      graph: "ERR ValueError : Cannot specify both 'dim' and 'axis'."),
    OperatorCase(
      "tf.compat.v1.expand_dims(x)",
      eager: "ERR ValueError : Must specify an axis argument to tf.expand_dims()",
      graph: "ERR ValueError : Must specify an axis argument to tf.expand_dims()"),
    OperatorCase(
      "tf.squeeze(y)",
      eager: "OK (3,) float32",
      graph: "OK Squeeze:0 (3,) float32"),
    OperatorCase(
      "tf.squeeze(y, 0)",
      eager: "OK (3, 1) float32",
      graph: "OK Squeeze:0 (3, 1) float32"),
    OperatorCase(
      "tf.squeeze(y, [0, 2])",
      eager: "OK (3,) float32",
      graph: "OK Squeeze:0 (3,) float32"),
    OperatorCase(
      "tf.squeeze(y, (-1,))",
      eager: "OK (1, 3) float32",
      graph: "OK Squeeze:0 (1, 3) float32"),
    OperatorCase(
      "tf.squeeze(y, [0, 0])",
      eager: "OK (3, 1) float32",
      graph: "OK Squeeze:0 (3, 1) float32"),
    OperatorCase(
      "tf.squeeze(y, name=\"flat\")",
      eager: "OK (3,) float32",
      graph: "OK flat:0 (3,) float32"),
    OperatorCase(
      "tf.squeeze(x)",
      eager: "OK (2, 3) float32",
      graph: "OK Squeeze:0 (2, 3) float32"),
    OperatorCase(
      "tf.squeeze([[1], [2]])",
      eager: "OK (2,) int32",
      graph: "OK Squeeze:0 (2,) int32"),
    OperatorCase(
      "tf.squeeze(y, 1)",
      eager: "ERR InvalidArgumentError : Can not squeeze dim[1], expected a dimension of 1, got 3 [Op:Squeeze]",
      graph:
        "ERR ValueError : Can not squeeze dim[1], expected a dimension of 1, got 3 for '{{node Squeeze}} = "
        + "Squeeze[T=DT_FLOAT, squeeze_dims=[1]](Const_1)' with input shapes: [1,3,1]."
    ),
    OperatorCase(
      "tf.squeeze(y, 3)",
      eager: "ERR InvalidArgumentError : Tried to squeeze dim index 3 for tensor with 3 dimensions. [Op:Squeeze]",
      graph:
        "ERR ValueError : squeeze_dims[0] not in [-3,3). for '{{node Squeeze}} = Squeeze[T=DT_FLOAT, "
        + "squeeze_dims=[3]](Const_1)' with input shapes: [1,3,1]."
    ),
    OperatorCase(
      "tf.squeeze(y, [2, -4])",
      eager: "ERR InvalidArgumentError : Tried to squeeze dim index -4 for tensor with 3 dimensions. [Op:Squeeze]",
      graph:
        "ERR ValueError : squeeze_dims[1] not in [-3,3). for '{{node Squeeze}} = Squeeze[T=DT_FLOAT, squeeze_dims=[2, "
        + "-4]](Const_1)' with input shapes: [1,3,1]."
    ),
    OperatorCase(
      "tf.compat.v1.squeeze(y, [0])",
      eager: "OK (3, 1) float32",
      graph: "OK Squeeze:0 (3, 1) float32"),
    OperatorCase(
      "tf.compat.v1.squeeze(y, squeeze_dims=[2])",
      eager: "OK (1, 3) float32",
      graph: "OK Squeeze:0 (1, 3) float32"),
    OperatorCase(
      "tf.compat.v1.squeeze(y, squeeze_dims=2)",
      eager: "OK (1, 3) float32",
      graph: "OK Squeeze:0 (1, 3) float32"),
    OperatorCase(
      "tf.compat.v1.squeeze(y, 0, squeeze_dims=[2])",
      eager: "ERR ValueError : Cannot specify both 'squeeze_dims' and 'axis'.",
      graph: "ERR ValueError : Cannot specify both 'squeeze_dims' and 'axis'."),
    OperatorCase(
      "tf.squeeze(tf.expand_dims(x, 1), 1)",
      eager: "OK (2, 3) float32",
      graph: "OK Squeeze:0 (2, 3) float32"),
  ]

  /// The outcome of `r = <call>` in a program that defines `x` and `y`, run eagerly or as a
  /// graph in a session.
  func outcome(_ call: String, graph: Bool) -> String {
    callOutcome(
      call,
      operands: """
        x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        y = tf.constant([[[1.0], [2.0], [3.0]]])

        """, graph: graph)
  }

  @Test("eager calls give TF 2.21's shapes and errors", arguments: cases)
  func eager(_ testCase: OperatorCase) {
    #expect(outcome(testCase.expression, graph: false) == testCase.eager)
  }

  @Test("graph calls give TF 2.21's node names, shapes and errors", arguments: cases)
  func graph(_ testCase: OperatorCase) {
    #expect(outcome(testCase.expression, graph: true) == testCase.graph)
  }

  func values(_ output: OutputValue?) -> [Double]? {
    if case let .tensor(tensor)? = output { return tensor.doubles }
    return nil
  }

  @Test("eager expand_dims and squeeze keep the values in order")
  func eagerValues() {
    let values = outputs(
      """
      import tensorflow as tf
      x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
      a = tf.expand_dims(x, 1).numpy()
      b = tf.squeeze(tf.expand_dims(x, -1)).numpy()
      s = str(tf.squeeze(tf.expand_dims(x, 0)).shape)
      """, ["a", "b", "s"])
    #expect(self.values(values["a"]) == [1, 2, 3, 4, 5, 6])
    #expect(self.values(values["b"]) == [1, 2, 3, 4, 5, 6])
    #expect(values["s"] == .text("(2, 3)"))
  }

  /// Placeholders of partly known shape, as TF 2.21 infers them in a `tf.compat.v1` graph:
  /// a squeezed unknown dimension is taken to be 1, and squeezing all size-1 dimensions of a
  /// shape with an unknown one gives an unknown shape.
  @Test("graph expand_dims and squeeze on placeholders infer TF's partial shapes and run in a session")
  func placeholders() {
    let values = outputs(
      """
      import tensorflow as tf
      tf.compat.v1.disable_eager_execution()
      p = tf.compat.v1.placeholder(tf.float32, [None, 3])
      q = tf.compat.v1.placeholder(tf.float32, [1, None, 1])
      a = tf.expand_dims(p, -1)
      b = tf.squeeze(q, [1])
      c = tf.squeeze(q)
      d = tf.squeeze(q, [0])
      e = tf.squeeze(p, 0)
      shapes = ""
      for t in [a, b, c, d, e]:
          shapes = shapes + t.name + " " + str(t.shape) + " "
      with tf.compat.v1.Session() as sess:
          va = sess.run(a, {p: [[1.0, 2.0, 3.0]]})
          vd = sess.run(d, {q: [[[1.0], [2.0]]]})
          vc = sess.run(c, {q: [[[1.0], [2.0]]]})
      """, ["shapes", "va", "vd", "vc"])
    #expect(
      values["shapes"]
        == .text(
          "ExpandDims:0 (None, 3, 1) Squeeze:0 (1, 1) Squeeze_1:0 <unknown> Squeeze_2:0 (None, 1) Squeeze_3:0 (3,) "))
    #expect(self.values(values["va"]) == [1, 2, 3])
    #expect(self.values(values["vd"]) == [1, 2])
    #expect(self.values(values["vc"]) == [1, 2])
  }

  @Test("squeezing a fed dimension that is not 1 fails in the session with TF's message")
  func sessionError() {
    let text = outcomeText(
      """
      import tensorflow.compat.v1 as tf
      tf.disable_v2_behavior()
      p = tf.placeholder(tf.float32, [None, 3])
      e = tf.squeeze(p, 0)
      with tf.Session() as sess:
          v = sess.run(e, {p: [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]})
      d = "done"
      """, output: "d")
    #expect(
      text
        == "ERR InvalidArgumentError : Graph execution error:\n\nCan not squeeze dim[0], expected a dimension of 1, "
        + "got 2\n\t [[{{node Squeeze}}]]"
    )
  }
}
