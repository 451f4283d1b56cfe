import PythonSyntax
import TensorCore
import Testing

@testable import TFModel

/// Runs a program under the newest profile.
func runProgram(_ text: String, outputs: [String]? = nil) -> ProgramResult {
  ProgramRunner.run(SourceFile(path: "test.yaml", text: text), profile: .newest, outputs: outputs)
}

/// The outputs of a program that must complete.
func outputs(_ text: String, _ names: [String]? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation)
  -> [String: OutputValue]
{
  let result = runProgram(text, outputs: names)
  guard case let .completed(values) = result.outcome else {
    Issue.record("program failed: \(result.outcome)", sourceLocation: sourceLocation)
    return [:]
  }
  return Dictionary(values.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
}

/// The error of a program that must fail.
func programError(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> ProgramError? {
  let result = runProgram(text)
  guard case let .failed(error) = result.outcome else {
    Issue.record("program completed", sourceLocation: sourceLocation)
    return nil
  }
  return error
}

/// `OK <text>` with the text output `name` of a program that completes, or
/// `ERR <type> : <message>` for one that fails: for tables of outcomes recorded from real TF.
func outcomeText(_ program: String, output name: String) -> String {
  let result = runProgram(program, outputs: [name])
  switch result.outcome {
  case let .completed(outputs):
    if case let .text(text) = outputs[0].value { return "OK \(text)" }
    return "OK ?"
  case let .failed(error):
    return "ERR \(error.type) : \(error.message)"
  }
}

/// The outcome of `r = <call>` in a program that first runs `operands` (Python lines defining
/// the names the call uses), run eagerly (`OK <shape> <dtype>`) or as a graph in a session
/// (`OK <name> <shape> <dtype>`): for tables of API calls recorded from real TF.
func callOutcome(_ call: String, operands: String, graph: Bool) -> String {
  var program = "import numpy as np\nimport tensorflow as tf\n"
  if graph { program += "tf.compat.v1.disable_eager_execution()\n" }
  program += operands + "r = \(call)\n"
  program +=
    graph
    ? "sess = tf.compat.v1.Session()\nv = sess.run(r)\nd = r.name + ' ' + str(r.shape) + ' ' + r.dtype.name\n"
    : "d = str(r.shape) + ' ' + r.dtype.name\n"
  return outcomeText(program, output: "d")
}

@Suite struct EagerModeTests {
  @Test("print(tensor) shows TF's eager repr, NumPy arrays print like NumPy")
  func printing() {
    let result = runProgram(
      """
      import numpy as np
      import tensorflow as tf
      print(tf.add(tf.constant([1.0, 2.0, 3.0]), tf.constant([4.0, 5.0, 6.0])))
      print(tf.constant([[1, 2], [3, 4]]))
      print(tf.constant(3))
      print(tf.constant([1.5, 2.0, 1e-8]))
      print(np.array([0.1, 0.25, 100.0]), np.array([[1, 22], [3, 4]]))
      print(tf.reduce_sum(tf.constant([1.0, 2.0])).numpy())
      """)
    #expect(
      result.printed == """
        tf.Tensor([5. 7. 9.], shape=(3,), dtype=float32)
        tf.Tensor(
        [[1 2]
         [3 4]], shape=(2, 2), dtype=int32)
        tf.Tensor(3, shape=(), dtype=int32)
        tf.Tensor([1.5e+00 2.0e+00 1.0e-08], shape=(3,), dtype=float32)
        [  0.1    0.25 100.  ] [[ 1 22]
         [ 3  4]]
        3.0

        """)
  }

  @Test("literals follow TF's dtype rules: float32, int32, numpy float64 kept")
  func literalDTypes() {
    let values = outputs(
      """
      import numpy as np
      import tensorflow as tf
      a = tf.constant([1.0])
      b = tf.constant([1, 2])
      c = tf.constant(np.array([1.0]))
      d = tf.constant([1, 2]) / tf.constant([2, 2])
      e = tf.constant([1.0]) + 1
      """, ["a", "b", "c", "d", "e"])
    func dtype(_ name: String) -> DType? {
      if case let .tensor(t)? = values[name] { return t.dtype }
      return nil
    }
    #expect(dtype("a") == .float32)
    #expect(dtype("b") == .int32)
    #expect(dtype("c") == .float64)
    #expect(dtype("d") == .float64)
    #expect(dtype("e") == .float32)
  }

  @Test("mixed tensor dtypes raise InvalidArgumentError eagerly")
  func mixedDTypes() {
    let error = programError("import tensorflow as tf\nx = tf.constant([1.0]) + tf.constant([1])\n")
    #expect(error?.type == "InvalidArgumentError")
    #expect(
      error?.message
        == "cannot compute AddV2 as input #1(zero-based) was expected to be a float tensor but is a int32 tensor "
        + "[Op:AddV2]"
    )
  }
}

@Suite struct GraphModeTests {
  @Test("a session runs fetches with feeds and variables")
  func session() {
    let values = outputs(
      """
      import tensorflow.compat.v1 as tf
      tf.disable_v2_behavior()
      x = tf.placeholder(tf.float32, shape=[None, 2])
      w = tf.Variable([[1.0], [2.0]])
      y = tf.matmul(x, w)
      with tf.Session() as sess:
          sess.run(tf.global_variables_initializer())
          out, (ww,) = sess.run([y, (w,)], feed_dict={x: [[1.0, 1.0], [2.0, 0.5]]})
      """, ["out", "ww"])
    #expect(values["out"] == .tensor(Tensor(doubles: [3, 3], shape: [2, 1], dtype: .float32)))
    #expect(values["ww"] == .tensor(Tensor(doubles: [1, 2], shape: [2, 1], dtype: .float32)))
  }

  @Test("graph tensors print symbolically and cannot be used as values")
  func symbolic() {
    let result = runProgram(
      "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\nx = tf.constant([1.0, 2.0])\nprint(x + x)\n")
    #expect(result.printed == "Tensor(\"add:0\", shape=(2,), dtype=float32)\n")
    let error = programError(
      "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\nx = tf.constant([1.0])\ny = x.numpy()\n")
    #expect(error?.type == "AttributeError")
  }

  @Test("reading an uninitialized variable is a FailedPreconditionError")
  func uninitialized() {
    let error = programError(
      "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\nv = tf.Variable(1.0)\nwith tf.Session() as s:\n   "
        + " s.run(v)\n"
    )
    #expect(error?.type == "FailedPreconditionError")
    #expect(error?.rendered.hasPrefix("test.yaml:5:5: error: FailedPreconditionError") == true)
  }

  @Test("missing feeds, wrong feed shapes and closed sessions fail as in TF")
  func sessionErrors() {
    let prefix =
      "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\nx = tf.placeholder(tf.float32, shape=[None, 3])\n"
    #expect(programError(prefix + "s = tf.Session()\ns.run(x * 2.0)\n")?.type == "InvalidArgumentError")
    #expect(
      programError(prefix + "s = tf.Session()\ns.run(x, feed_dict={x: [[1.0, 2.0]]})\n")?.message
        == "Cannot feed value of shape (1, 2) for Tensor Placeholder:0, which has shape (?, 3)")
    #expect(
      programError(prefix + "s = tf.Session()\ns.close()\ns.run(x, feed_dict={x: [[1.0, 2.0, 3.0]]})\n")?.message
        == "Attempted to use a closed Session.")
  }

  @Test("graph construction rejects mismatched dtypes and shapes with TF's messages")
  func construction() {
    let prefix = "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\n"
    #expect(
      programError(prefix + "tf.add(tf.constant([1.0]), tf.constant([2]))\n")?.message
        == "Input 'y' of 'AddV2' Op has type int32 that does not match type float32 of argument 'x'.")
    #expect(
      programError(prefix + "tf.add(tf.zeros([2, 3]), tf.zeros([4]))\n")?.message
        == "Dimensions must be equal, but are 3 and 4 for '{{node Add}} = AddV2[T=DT_FLOAT](zeros, zeros_1)' with "
        + "input shapes: [2,3], [4]."
    )
  }
}

@Suite struct ModuleSurfaceTests {
  @Test("a name TF lacks is an AttributeError naming the real module")
  func missingName() {
    let error = programError("import tensorflow.compat.v1 as tf1\nm = tf1.metrics.sparse_softmax_cross_entropy\n")
    #expect(error?.type == "AttributeError")
    #expect(
      error?.message == "module 'tensorflow._api.v2.compat.v1.metrics' has no attribute 'sparse_softmax_cross_entropy'")
    #expect(
      programError("import tensorflow as tf\ns = tf.Session\n")?.message
        == "module 'tensorflow' has no attribute 'Session'")
  }

  @Test("a name TF has but Lockstep does not model is unsupported, naming the API")
  func unsupportedName() {
    let error = programError("import tensorflow as tf\nx = tf.nn.softplus\n")
    #expect(error?.type == "unsupported")
    #expect(error?.message == "Lockstep does not support tf.nn.softplus yet")
    #expect(error?.isLockstepLimitation == true)
  }

  @Test("imports that reach the machine are refused; unknown modules are not found")
  func imports() {
    #expect(programError("import os\n")?.type == "forbidden")
    #expect(programError("from subprocess import run\n")?.type == "forbidden")
    #expect(programError("import tensorflow.contrib\n")?.type == "ModuleNotFoundError")
  }

  @Test("API calls record the arguments they left to defaults")
  func defaults() {
    let result = runProgram("import tensorflow.compat.v1 as tf\nopt = tf.train.AdamOptimizer(0.01)\n")
    #expect(result.defaultedCalls.first?.api == "tf.compat.v1.train.AdamOptimizer")
    #expect(result.defaultedCalls.first?.arguments == ["beta1=0.9", "beta2=0.999", "epsilon=1e-08"])
  }
}

@Suite struct APIRegistrationTests {
  @Test("every implemented member exists in the real module of the profile")
  func implementationsExistInTF() throws {
    for profile in Profile.supported {
      let runtime = try TFRuntime(profile: profile)
      #expect(runtime.unknownImplementations.isEmpty, "\(profile): \(runtime.unknownImplementations)")
    }
  }
}
