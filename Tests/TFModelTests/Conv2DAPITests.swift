import Testing

@testable import TFModel

/// `tf.nn.conv2d` calls on `x` (`[1, 5, 5, 2]`, values 0.1 … 5.0) and `w` (`[3, 3, 2, 4]`, all
/// 0.25): nn_ops's argument handling, gen_nn_ops's attribute conversion, input conversion and
/// node naming, the Conv2D shape function's ValueErrors and the CPU kernel's errors, as real
/// TensorFlow 2.21 gives them eagerly (`OK <shape> <dtype>`) and in a graph run by a session
/// (`OK <name> <shape> <dtype>`), or `ERR <type> : <message>`. Eager messages are TF's
/// without the `{{function_node …}} ` prefix and ` name: ` suffix it adds, and attribute-value
/// errors end at `{{node Conv2D}}`, before TF's `; Op<…>` dump of the registry entry (as for
/// every op Lockstep models). Session messages keep TF's first and last lines; TF prints a
/// `Detected at node` stack trace between them.
@Suite struct Conv2DAPITests {
  static let node =
    #"Conv2D[T=DT_FLOAT, data_format="NHWC", dilations=[1, 1, 1, 1], explicit_paddings=[], padding="SAME", "#
      + #"strides=[1, 1, 1, 1], use_cudnn_on_gpu=true]"#
  static let valid =
    #"Conv2D[T=DT_FLOAT, data_format="NHWC", dilations=[1, 1, 1, 1], explicit_paddings=[], padding="VALID", "#
      + #"strides=[1, 1, 1, 1], use_cudnn_on_gpu=true]"#

  static let cases: [OperatorCase] = [
    OperatorCase(
      #"tf.nn.conv2d(x, w, 1, "SAME")"#, eager: "OK (1, 5, 5, 4) float32", graph: "OK Conv2D:0 (1, 5, 5, 4) float32"),
    OperatorCase(
      #"tf.nn.conv2d(x, w, [2, 1], "VALID")"#, eager: "OK (1, 2, 3, 4) float32",
      graph: "OK Conv2D:0 (1, 2, 3, 4) float32"),
    OperatorCase(
      #"tf.nn.conv2d(x, w, 2, [[0, 0], [1, 0], [0, 2], [0, 0]], dilations=2)"#,
      eager: "OK (1, 1, 2, 4) float32", graph: "OK Conv2D:0 (1, 1, 2, 4) float32"),
    OperatorCase(
      #"tf.nn.conv2d(x, w, (2,), ((0, 0), (1, 1), (1, 1), (0, 0)))"#,
      eager: "OK (1, 3, 3, 4) float32", graph: "OK Conv2D:0 (1, 3, 3, 4) float32"),
    OperatorCase(
      #"tf.nn.conv2d(x, w, np.array([2, 2]), "VALID")"#, eager: "OK (1, 2, 2, 4) float32",
      graph: "OK Conv2D:0 (1, 2, 2, 4) float32"),
    OperatorCase(
      #"tf.nn.conv2d(x, w, 1.5, "SAME")"#, eager: "OK (1, 5, 5, 4) float32", graph: "OK Conv2D:0 (1, 5, 5, 4) float32"),
    OperatorCase(
      #"tf.nn.conv2d(x, w, 1, "SAME", name="features")"#, eager: "OK (1, 5, 5, 4) float32",
      graph: "OK features:0 (1, 5, 5, 4) float32"),
    OperatorCase(
      #"tf.nn.conv2d(tf.cast(x, tf.float64), tf.cast(w, tf.float64), 1, "SAME")"#,
      eager: "OK (1, 5, 5, 4) float64", graph: "OK Conv2D:0 (1, 5, 5, 4) float64"),
    OperatorCase(
      #"tf.nn.conv2d(np.ones([1, 3, 3, 2], np.float32), np.ones([3, 3, 2, 4]), 1, "SAME")"#,
      eager: "OK (1, 3, 3, 4) float32", graph: "OK Conv2D:0 (1, 3, 3, 4) float32"),
    OperatorCase(
      #"tf.nn.conv2d(np.ones([1, 3, 3, 2], np.float32), [[[[1.0, 2.0]], [[1.0, 2.0]]]], 1, "VALID")"#,
      eager: "OK (1, 3, 2, 2) float32", graph: "OK Conv2D:0 (1, 3, 2, 2) float32"),
    OperatorCase(
      #"tf.nn.conv2d(tf.zeros([0, 2, 5, 5]), w, 2, "SAME", data_format="NCHW")"#,
      eager: "OK (0, 4, 3, 3) float32", graph: "OK Conv2D:0 (0, 4, 3, 3) float32"),
    OperatorCase(
      #"tf.compat.v1.nn.conv2d(x, w, padding="SAME")"#, eager: "OK (1, 5, 5, 4) float32",
      graph: "OK Conv2D:0 (1, 5, 5, 4) float32"),
    OperatorCase(
      #"tf.compat.v1.nn.conv2d(x, filters=w, strides=1, padding="VALID")"#,
      eager: "OK (1, 3, 3, 4) float32", graph: "OK Conv2D:0 (1, 3, 3, 4) float32"),
    // The eager kernel gives an empty output where the graph's shape function refuses.
    OperatorCase(
      #"tf.nn.conv2d(x, tf.ones([6, 3, 2, 4]), 1, "VALID")"#, eager: "OK (1, 0, 3, 4) float32",
      graph:
        "ERR ValueError : Negative dimension size caused by subtracting 6 from 5 for '{{node Conv2D}} = "
        + "\(valid)(Reshape, ones_1)' with input shapes: [1,5,5,2], [6,3,2,4]."
    ),
    OperatorCase(
      #"tf.nn.conv2d(x, w, 1, "VALID", dilations=[1, 3, 1, 1])"#,
      eager:
        "ERR InvalidArgumentError : Computed output size would be negative: -1 [input_size: 5, effective_filter_size: "
        + "7, stride: 1] [Op:Conv2D]",
      graph:
        #"ERR ValueError : Negative dimension size caused by subtracting 7 from 5 for '{{node Conv2D}} = "#
          + #"Conv2D[T=DT_FLOAT, data_format="NHWC", dilations=[1, 3, 1, 1], explicit_paddings=[], padding="VALID", "#
          + #"strides=[1, 1, 1, 1], use_cudnn_on_gpu=true](Reshape, truediv)' with input shapes: [1,5,5,2], "#
          + #"[3,3,2,4]."#
    ),
    OperatorCase(
      #"tf.nn.conv2d(x, tf.ones([3, 3, 3, 4]), 1, "SAME")"#,
      eager: "ERR InvalidArgumentError : input depth must be evenly divisible by filter depth: 2 vs 3 [Op:Conv2D]",
      graph:
        "ERR ValueError : Depth of input (2) is not a multiple of input depth of filter (3) for '{{node Conv2D}} = "
        + "\(node)(Reshape, ones_1)' with input shapes: [1,5,5,2], [3,3,3,4]."
    ),
    OperatorCase(
      #"tf.nn.conv2d(x, tf.ones([3, 3, 1, 3]), 1, "SAME")"#,
      eager: "ERR InvalidArgumentError : output depth must be evenly divisible by number of groups: 3 vs 2 [Op:Conv2D]",
      graph:
        "ERR ValueError : Depth of output (3) is not a multiple of the number of groups (2) for '{{node Conv2D}} = "
        + "\(node)(Reshape, ones_1)' with input shapes: [1,5,5,2], [3,3,1,3]."
    ),
    OperatorCase(
      #"tf.nn.conv2d(x, [[[[1.0]], [[2.0]]]], 1, "VALID")"#,
      eager: "ERR InvalidArgumentError : output depth must be evenly divisible by number of groups: 1 vs 2 [Op:Conv2D]",
      graph:
        "ERR ValueError : Depth of output (1) is not a multiple of the number of groups (2) for '{{node Conv2D}} = "
        + "\(valid)(Reshape, Conv2D/filter)' with input shapes: [1,5,5,2], [1,2,1,1]."
    ),
    OperatorCase(
      #"tf.nn.conv2d(tf.reshape(x, [5, 5, 2]), w, 1, "SAME")"#,
      eager: "ERR InvalidArgumentError : convolution input must be 4-dimensional: [5,5,2] [Op:Conv2D]",
      graph:
        "ERR ValueError : Shape must be rank 4 but is rank 3 for '{{node Conv2D}} = \(node)(Reshape_1, truediv)' with "
        + "input shapes: [5,5,2], [3,3,2,4]."
    ),
    OperatorCase(
      #"tf.nn.conv2d(x, w, 1, "SAME", data_format="NCHW")"#,
      eager: "ERR InvalidArgumentError : input depth must be evenly divisible by filter depth: 5 vs 2 [Op:Conv2D]",
      graph:
        #"ERR ValueError : Depth of input (5) is not a multiple of input depth of filter (2) for '{{node Conv2D}} = "#
          + #"Conv2D[T=DT_FLOAT, data_format="NCHW", dilations=[1, 1, 1, 1], explicit_paddings=[], padding="SAME", "#
          + #"strides=[1, 1, 1, 1], use_cudnn_on_gpu=true](Reshape, truediv)' with input shapes: [1,5,5,2], "#
          + #"[3,3,2,4]."#
    ),
    OperatorCase(
      #"tf.nn.conv2d(tf.reshape(x, [1, 2, 5, 5]), w, [1, 2], [[0, 0], [0, 0], [1, 1], [2, 0]], data_format="NCHW")"#,
      eager:
        "ERR UnimplementedError : The Conv2D op currently only supports the NHWC tensor format on the CPU. The op was "
        + "given the format: NCHW [Op:Conv2D]",
      graph:
        "ERR UnimplementedError : Graph execution error:\n\nThe Conv2D op currently only supports the NHWC tensor "
        + "format on the CPU. The op was given the format: NCHW\n\t [[{{node Conv2D}}]]"
    ),
    OperatorCase(
      #"tf.nn.conv2d(x, w, [2, 1, 1, 1], "SAME")"#,
      eager:
        "ERR UnimplementedError : Current implementation does not yet support strides in the batch and depth "
        + "dimensions. [Op:Conv2D]",
      graph:
        "ERR UnimplementedError : Graph execution error:\n\nCurrent implementation does not yet support strides in "
        + "the batch and depth dimensions.\n\t [[{{node Conv2D}}]]"
    ),
    OperatorCase(
      #"tf.nn.conv2d(x, w, 1, "SAME", dilations=[1, 1, 1, 2])"#,
      eager:
        "ERR UnimplementedError : Current implementation does not yet support dilations in the batch and depth "
        + "dimensions. [Op:Conv2D]",
      graph:
        "ERR UnimplementedError : Graph execution error:\n\nCurrent implementation does not yet support dilations in "
        + "the batch and depth dimensions.\n\t [[{{node Conv2D}}]]"
    ),
    OperatorCase(
      #"tf.nn.conv2d(x, w, 0, "SAME")"#,
      eager: "ERR InvalidArgumentError : Row and column strides should be larger than 0. [Op:Conv2D]",
      graph:
        #"ERR ValueError : Stride must be > 0, but got 0 for '{{node Conv2D}} = Conv2D[T=DT_FLOAT, "#
          + #"data_format="NHWC", dilations=[1, 1, 1, 1], explicit_paddings=[], padding="SAME", strides=[1, 0, 0, "#
          + #"1], use_cudnn_on_gpu=true](Reshape, truediv)' with input shapes: [1,5,5,2], [3,3,2,4]."#
    ),
    OperatorCase(
      #"tf.nn.conv2d(x, w, 1, [[1, 0], [1, 1], [1, 1], [0, 0]])"#,
      eager:
        "ERR InvalidArgumentError : Nonzero explicit padding in the batch or depth dimensions is not supported "
        + "[Op:Conv2D]",
      graph:
        #"ERR ValueError : Nonzero explicit padding in the batch or depth dimensions is not supported for '{{node "#
          + #"Conv2D}} = Conv2D[T=DT_FLOAT, data_format="NHWC", dilations=[1, 1, 1, 1], explicit_paddings=[1, 0, 1, "#
          + #"1, 1, 1, 0, 0], padding="EXPLICIT", strides=[1, 1, 1, 1], use_cudnn_on_gpu=true](Reshape, truediv)' "#
          + #"with input shapes: [1,5,5,2], [3,3,2,4]."#
    ),
    OperatorCase(
      #"tf.nn.conv2d(x, w, 1, "same")"#,
      eager:
        "ERR InvalidArgumentError : Value for attr 'padding' of \"same\" is not in the list of allowed values: "
        + "\"SAME\", \"VALID\", \"EXPLICIT\"\n\t; NodeDef: {{node Conv2D}} [Op:Conv2D]",
      graph:
        #"ERR ValueError : Attr 'padding' of 'Conv2D' Op passed string 'same' not in: "SAME", "VALID", "EXPLICIT"."#),
    OperatorCase(
      #"tf.nn.conv2d(x, w, 1, "SAME", data_format="NCW")"#,
      eager:
        "ERR InvalidArgumentError : Value for attr 'data_format' of \"NCW\" is not in the list of allowed values: "
        + "\"NHWC\", \"NCHW\"\n\t; NodeDef: {{node Conv2D}} [Op:Conv2D]",
      graph: #"ERR ValueError : Attr 'data_format' of 'Conv2D' Op passed string 'NCW' not in: "NHWC", "NCHW"."#),
    OperatorCase(
      #"tf.nn.conv2d(x, tf.cast(w, tf.float64), 1, "SAME")"#,
      eager:
        "ERR InvalidArgumentError : cannot compute Conv2D as input #1(zero-based) was expected to be a float tensor "
        + "but is a double tensor [Op:Conv2D]",
      graph:
        "ERR TypeError : Input 'filter' of 'Conv2D' Op has type float64 that does not match type float32 of argument "
        + "'input'."
    ),
    OperatorCase(
      #"tf.nn.conv2d(tf.cast(x, tf.int64), tf.cast(w, tf.int64), 1, "SAME")"#,
      eager:
        "ERR InvalidArgumentError : Value for attr 'T' of int64 is not in the list of allowed values: half, bfloat16, "
        + "float, double, int32\n\t; NodeDef: {{node Conv2D}} [Op:Conv2D]",
      graph:
        "ERR TypeError : Value passed to parameter 'input' has DataType int64 not in list of allowed values: float16, "
        + "bfloat16, float32, float64, int32"
    ),
    OperatorCase(
      #"tf.nn.conv2d(tf.cast(x, tf.int32), [[[[0.5]]]], 1, "VALID")"#,
      eager: "ERR TypeError : Cannot convert [[[[0.5]]]] to EagerTensor of dtype int32",
      graph:
        "ERR TypeError : Expected int32 passed to parameter 'filter' of op 'Conv2D', got [[[[0.5]]]] of type 'list' "
        + "instead. Error: Expected int32, but got 0.5 of type 'float'."
    ),
    OperatorCase(
      #"tf.nn.conv2d([[[[1.0]]]], w, 1, "SAME")"#,
      eager: "ERR AttributeError : 'list' object has no attribute 'shape'",
      graph: "ERR AttributeError : 'list' object has no attribute 'shape'"),
    OperatorCase(
      #"tf.nn.conv2d(x, w, [1, 1, 1], "SAME")"#,
      eager: "ERR ValueError : strides should be of length 1, 2 or 4. Received: strides=[1, 1, 1] of length 3",
      graph: "ERR ValueError : strides should be of length 1, 2 or 4. Received: strides=[1, 1, 1] of length 3"),
    OperatorCase(
      #"tf.nn.conv2d(x, w, float("nan"), "SAME")"#,
      eager: "ERR TypeError : Expected int for argument 'strides' not nan.",
      graph: "ERR TypeError : Expected int for argument 'strides' not nan."),
    OperatorCase(
      #"tf.nn.conv2d(x, w, 1, "EXPLICIT")"#,
      eager:
        "ERR ValueError : 'EXPLICIT' is not a valid value for `padding`. To use explicit padding, `padding` must be a "
        + "list.",
      graph:
        "ERR ValueError : 'EXPLICIT' is not a valid value for `padding`. To use explicit padding, `padding` must be a "
        + "list."
    ),
    OperatorCase(
      #"tf.nn.conv2d(x, w, 1, [[0, 0], [1, 1]])"#,
      eager:
        "ERR ValueError : When padding is a list, it must be of size 4. Received: padding=[[0, 0], [1, 1]] of size 2",
      graph:
        "ERR ValueError : When padding is a list, it must be of size 4. Received: padding=[[0, 0], [1, 1]] of size 2"),
    OperatorCase(
      #"tf.nn.conv2d(x, w, 1, [[0, 0], 1, [1, 1], [0, 0]])"#,
      eager:
        "ERR ValueError : When `padding` is a list, each element of `padding` must be a list/tuple of size 2. "
        + "Received: padding=[[0, 0], 1, [1, 1], [0, 0]] with element at index 1 of type <class 'int'>",
      graph:
        "ERR ValueError : When `padding` is a list, each element of `padding` must be a list/tuple of size 2. "
        + "Received: padding=[[0, 0], 1, [1, 1], [0, 0]] with element at index 1 of type <class 'int'>"
    ),
    OperatorCase(
      #"tf.nn.conv2d(x, w, 1, "SAME", data_format=1)"#,
      eager: "ERR AttributeError : 'int' object has no attribute 'startswith'",
      graph: "ERR AttributeError : 'int' object has no attribute 'startswith'"),
    OperatorCase(
      #"tf.compat.v1.nn.conv2d(x, w, filters=w, strides=1, padding="VALID")"#,
      eager: "ERR ValueError : Cannot specify both 'filter' and 'filters'.",
      graph: "ERR ValueError : Cannot specify both 'filter' and 'filters'."),
    OperatorCase(
      #"tf.compat.v1.nn.conv2d(x, strides=1, padding="VALID")"#,
      eager:
        "ERR ValueError : Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.",
      graph: "ERR ValueError : Tried to convert 'filter' to a tensor and failed. Error: None values not supported."),
    OperatorCase(
      #"tf.compat.v1.nn.conv2d(x, w, 1)"#,
      eager: "ERR TypeError : Expected string for argument 'padding' not None.",
      graph: "ERR TypeError : Expected string for argument 'padding' not None."),
    OperatorCase(
      #"tf.compat.v1.nn.conv2d(x, w, 1, "SAME", use_cudnn_on_gpu=1)"#,
      eager: "ERR TypeError : Expected bool for argument 'use_cudnn_on_gpu' not 1.",
      graph: "ERR TypeError : Expected bool for argument 'use_cudnn_on_gpu' not 1."),
    OperatorCase(
      #"tf.compat.v1.nn.conv2d(x, w, "2", "SAME")"#,
      eager: "ERR TypeError : Expected int for argument 'strides' not '2'.",
      graph: "ERR TypeError : Expected int for argument 'strides' not '2'."),
  ]

  /// The outcome of `r = <call>` in a program that defines `x` and `w`, run eagerly or as a
  /// graph in a session.
  func outcome(_ call: String, graph: Bool) -> String {
    callOutcome(
      call,
      operands: """
        x = tf.reshape(tf.constant([float(i) / 10.0 for i in range(1, 51)]), [1, 5, 5, 2])
        w = tf.ones([3, 3, 2, 4]) / 4.0

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
}

/// Values, node names and the defaults report of conv2d programs, against TF 2.21.
@Suite struct Conv2DProgramTests {
  /// Element i of the `[1, 4, 4, 2]` input is `(i * 7) % 11 - 5`, of the `[3, 3, 2, 3]` filter
  /// `(i * 5) % 7 - 3`: small integers, so TF's sums are exact.
  static let operands = """
    x = [[[[float(((r * 8 + c * 2 + k) * 7) % 11 - 5) for k in range(2)] for c in range(4)] for r in range(4)]]
    w = [[[[float(((i * 18 + j * 6 + k * 3 + o) * 5) % 7 - 3) for o in range(3)]
           for k in range(2)] for j in range(3)] for i in range(3)]

    """

  func values(_ output: OutputValue?) -> [Double]? {
    if case let .tensor(tensor)? = output { return tensor.doubles }
    return nil
  }

  @Test("eager tf.nn.conv2d computes TF 2.21's values")
  func eagerValues() {
    let values = outputs(
      "import tensorflow as tf\n" + Self.operands + """
        a = tf.nn.conv2d(tf.constant(x), tf.constant(w), 2, "SAME").numpy()
        b = tf.nn.conv2d(tf.constant(x), w, 1, [[0, 0], [1, 0], [0, 2], [0, 0]], dilations=2).numpy()
        c = tf.nn.conv2d(tf.constant(x, tf.float64), w, [1, 2], "VALID").numpy()
        """, ["a", "b", "c"])
    #expect(self.values(values["a"]) == [3, -12, 22, 14, -14, 7, -18, 23, -6, 15, -3, -7])
    #expect(self.values(values["b"]) == [-24, 27, 1, 0, -1, 12])
    #expect(self.values(values["c"]) == [3, -12, 22, -3, 10, -5])
  }

  @Test("a graph conv2d fed through a placeholder computes the same values in a session")
  func graphValues() {
    let values = outputs(
      """
      import tensorflow.compat.v1 as tf
      tf.disable_v2_behavior()

      """ + Self.operands + """
        image = tf.placeholder(tf.float32, [None, 4, 4, 2])
        y = tf.nn.conv2d(image, w, strides=[1, 2, 2, 1], padding="SAME")
        shape = str(y.shape)
        with tf.Session() as sess:
            a = sess.run(y, feed_dict={image: x})
        """, ["a", "shape"])
    #expect(self.values(values["a"]) == [3, -12, 22, 14, -14, 7, -18, 23, -6, 15, -3, -7])
    #expect(values["shape"] == .text("(None, 2, 2, 3)"))
  }

  @Test("graph nodes are Conv2D, Conv2D_1 …, and literals become constants in the op's scope")
  func naming() {
    let result = runProgram(
      """
      import numpy as np
      import tensorflow.compat.v1 as tf
      tf.disable_v2_behavior()
      image = tf.placeholder(tf.float32, [1, 5, 5, 3])
      a = tf.nn.conv2d(image, np.ones([3, 3, 3, 4]), 1, "SAME")
      b = tf.nn.conv2d(a, np.ones([3, 3, 4, 4], np.float32), [1, 1, 1, 1], "SAME", name="features")
      c = tf.nn.conv2d(np.ones([1, 5, 5, 3], np.float32), np.ones([3, 3, 2, 4], np.float32), 1, "SAME")
      """)
    guard case let .failed(error) = result.outcome else {
      Issue.record("the third convolution must fail")
      return
    }
    // Recorded from TF 2.21; the first node took `Conv2D`, the second was named.
    #expect(
      error.message
        == #"Depth of input (3) is not a multiple of input depth of filter (2) for '{{node Conv2D_1}} = "#
            + #"Conv2D[T=DT_FLOAT, data_format="NHWC", dilations=[1, 1, 1, 1], explicit_paddings=[], "#
            + #"padding="SAME", strides=[1, 1, 1, 1], use_cudnn_on_gpu=true](Conv2D_1/input, Conv2D_1/filter)' with "#
            + #"input shapes: [1,5,5,3], [3,3,2,4]."#
    )
    #expect(result.printed.isEmpty)
  }

  @Test("UnimplementedError is raised as TF raises it, eagerly and in a session, and can be caught")
  func unimplemented() {
    let values = outputs(
      """
      import tensorflow as tf
      x = tf.zeros([1, 2, 5, 5])
      w = tf.zeros([3, 3, 2, 4])
      try:
          tf.nn.conv2d(x, w, 1, "SAME", data_format="NCHW")
          eager = "ran"
      except tf.errors.UnimplementedError:
          eager = "UnimplementedError"
      g = tf.Graph()
      with g.as_default():
          y = tf.compat.v1.nn.conv2d(tf.zeros([1, 5, 5, 2]), tf.zeros([3, 3, 2, 4]), [2, 1, 1, 1], "SAME")
          with tf.compat.v1.Session() as sess:
              try:
                  sess.run(y)
                  graph = "ran"
              except tf.errors.UnimplementedError:
                  graph = "UnimplementedError"
      """, ["eager", "graph"])
    #expect(values["eager"] == .text("UnimplementedError"))
    #expect(values["graph"] == .text("UnimplementedError"))
  }

  @Test("an int32 convolution, which TF runs, is unsupported rather than a made-up error")
  func int32Unsupported() {
    let error = programError(
      """
      import tensorflow as tf
      y = tf.nn.conv2d(tf.ones([1, 3, 3, 1], tf.int32), tf.ones([1, 1, 1, 1], tf.int32), 1, "SAME")
      """)
    #expect(error?.type == "unsupported")
    #expect(error?.isLockstepLimitation == true)
  }

  @Test("the report lists the conv2d defaults a program relied on")
  func defaults() {
    let result = runProgram(
      """
      import tensorflow as tf
      y1 = tf.compat.v1.nn.conv2d(tf.ones([1, 3, 3, 1]), tf.ones([1, 1, 1, 1]), padding="SAME")
      y2 = tf.nn.conv2d(tf.ones([1, 3, 3, 1]), tf.ones([1, 1, 1, 1]), 1, "SAME", dilations=1)
      """)
    let relied = result.defaultedCalls.map { "\($0.api): " + $0.arguments.joined(separator: ", ") }
    #expect(relied.contains("tf.compat.v1.nn.conv2d: strides=None, data_format='NHWC', dilations=[1, 1, 1, 1]"))
    #expect(relied.contains("tf.nn.conv2d: data_format='NHWC'"))
  }
}
