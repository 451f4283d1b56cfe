import Testing

/// Reductions check their axes as TF's `ReductionHelper::Simplify` does, for every reduction
/// alike: an axis out of range, then an axis named twice. Expected lines are real TF 2.21's and
/// NumPy's output for this program.
@Suite struct ReductionAxesErrorTests {
  @Test("every reduction refuses an axis out of range or named twice with TF's message; NumPy its own")
  func badAxes() {
    let result = runProgram(
      """
      import numpy as np
      import tensorflow as tf
      x = tf.ones([2, 3])
      for f in [tf.reduce_max, tf.reduce_min, tf.reduce_sum, tf.reduce_mean]:
          for axes in [[0, 0], [1, -1], [0, 2]]:
              try:
                  print(f(x, axes).numpy())
              except tf.errors.InvalidArgumentError as e:
                  print(e.message.split("}}")[-1].strip())
      try:
          np.sum(np.ones((2, 3)), axis=(0, 0))
      except ValueError as e:
          print("numpy:", e)
      print(np.sum(np.ones((2, 3)), axis=(0, -1)))
      """)
    var expected = ""
    for op in ["Max", "Min", "Sum", "Mean"] {
      expected += """
        Invalid reduction arguments: Axes contains duplicate dimension: 0 [Op:\(op)]
        Invalid reduction arguments: Axes contains duplicate dimension: 1 [Op:\(op)]
        Invalid reduction dimension (2 for input with 2 dimension(s) [Op:\(op)]

        """
    }
    #expect(result.printed == expected + "numpy: duplicate value in 'axis'\n6.0\n")
  }
}
