import PythonSyntax
import Testing
@testable import TFModel

@Suite struct LimitTests {
  @Test("huge tensors are refused with a limit error, not allocated")
  func tensorSize() {
    for program in [
      "import tensorflow as tf\nx = tf.zeros([100000, 100000])\n",
      "import numpy as np\nx = np.ones((2 ** 40,))\n",
      "import tensorflow as tf\na = tf.zeros([100000, 1])\nb = tf.zeros([1, 100000])\nc = a + b\n",
      "import tensorflow as tf\nx = tf.constant([[0.0] * 10000] * 10000)\n",
      "import numpy as np\nimport tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\na = tf.placeholder(tf.float32, [None, 1])\nb = tf.placeholder(tf.float32, [1, None])\nwith tf.Session() as s:\n    s.run(a + b, {a: np.zeros((100000, 1)), b: np.zeros((1, 100000))})\n",
    ] {
      #expect(programError(program)?.type == "limit", "\(program)")
    }
  }

  @Test("pathological nesting is a located syntax error, not a stack overflow")
  func nesting() {
    let deep = "x = " + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000) + "\n"
    #expect(programError(deep)?.type == "SyntaxError")
    let long = "x = " + Array(repeating: "1", count: 5000).joined(separator: " + ") + "\n"
    #expect(programError(long)?.type == "SyntaxError")
    let fine = "x = " + Array(repeating: "1", count: 500).joined(separator: " + ") + "\n"
    #expect(runProgram(fine).printed.isEmpty)
  }

  @Test("extreme values end in Python errors or unsupported, never a trap")
  func extremeValues() {
    #expect(programError("x = round(1e300)\n")?.type == "unsupported")
    #expect(programError("x = int(float('inf'))\n")?.type == "OverflowError")
    #expect(programError("x = '%d' % float('nan')\n")?.type == "ValueError")
    #expect(programError("x = list(range(-2**62, 2**62, 3))\n")?.type == "limit")
    #expect(programError("x = (-2**63) // -1\n")?.type == "unsupported")
    let wrapped = runProgram("import tensorflow as tf\nprint(tf.constant([-2147483648]) // -1)\n")
    #expect(wrapped.printed == "tf.Tensor([-2147483648], shape=(1,), dtype=int32)\n")
  }

  @Test("big integer powers and sequence repetition stay bounded")
  func pythonLimits() {
    #expect(runProgram("x = 1 ** (10 ** 18)\n").printed.isEmpty)
    #expect(programError("x = 3 ** 100\n")?.type == "unsupported")
    #expect(programError("x = [0] * (10 ** 12)\n")?.type == "limit")
  }
}
