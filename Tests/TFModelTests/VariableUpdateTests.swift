import Testing

@testable import TFModel

/// A variable updated in place (its buffer unshared) must not change a value read from it
/// before: TF copies the buffer then, and so does Lockstep. Expected lines are TF 2.21's.
@Suite struct VariableUpdateProgramTests {
  @Test("values read before assign_sub / assign_add / assign keep their values")
  func readsKeepTheirValues() {
    let result = runProgram(
      """
      import tensorflow as tf
      v = tf.Variable([1.0, 2.0])
      r = v.read_value()
      i = tf.identity(v)
      n = v.numpy()
      v.assign_sub([0.5, 0.5])
      v.assign_sub([0.5, 0.5])
      v.assign_add([2.0, 2.0])
      print(r.numpy().tolist(), i.numpy().tolist(), n.tolist(), v.numpy().tolist())
      t = tf.constant([3.0, 4.0])
      w = tf.Variable(t)
      w.assign_add([1.0, 1.0])
      u = tf.constant([5.0, 6.0])
      w.assign(u)
      w.assign_sub([1.0, 1.0])
      print(t.numpy().tolist(), u.numpy().tolist(), w.numpy().tolist())
      """)
    #expect(result.printed == "[1.0, 2.0] [1.0, 2.0] [1.0, 2.0] [2.0, 3.0]\n[3.0, 4.0] [5.0, 6.0] [4.0, 5.0]\n")
  }

  @Test("a persistent tape's saved values are those of the time it recorded")
  func tapeKeepsItsValues() {
    let result = runProgram(
      """
      import tensorflow as tf
      w = tf.Variable([3.0])
      with tf.GradientTape(persistent=True) as tape:
          y = w * w
      g1 = tape.gradient(y, w)
      w.assign_sub([1.0])
      g2 = tape.gradient(y, w)
      with tf.GradientTape() as once:
          z = w * w
      g3 = once.gradient(z, w)
      w.assign_sub([1.0])
      print(g1.numpy().tolist(), g2.numpy().tolist(), g3.numpy().tolist(), w.numpy().tolist())
      """)
    #expect(result.printed == "[6.0] [6.0] [4.0] [1.0]\n")
  }

  @Test("a loop whose tape reads a variable before and after assigning it keeps its gradients")
  func assignedBetweenReadsInALoop() {
    // Each step's backward pass has the same ops, dtypes and shapes, so it would run as a
    // trace from the third step; a trace holds one value per identity, so these are not traced.
    let result = runProgram(
      """
      import tensorflow as tf
      s = tf.Variable(1.0, trainable=False)
      w = tf.Variable(2.0)
      for i in range(4):
          s.assign(1.0)
          with tf.GradientTape() as t:
              a = s * w
              s.assign(a)
              b = s * w
              loss = a + b
          print(i, t.gradient(loss, w).numpy())
      v = tf.Variable(1.0)
      for i in range(4):
          with tf.GradientTape() as t:
              p = v * v
              v.assign_add(1.0)
              q = v * v
              loss = p + q
          print(i, t.gradient(loss, v).numpy())
      """)
    #expect(result.printed == "0 3.0\n1 3.0\n2 3.0\n3 3.0\n0 6.0\n1 10.0\n2 14.0\n3 18.0\n")
  }

  @Test("a TF1 update whose value is another reference variable reads it and updates its own (TF 2.21's output)")
  func referenceUpdateFromReference() {
    let result = runProgram(
      """
      import tensorflow.compat.v1 as tf
      tf.disable_v2_behavior()
      v = tf.Variable([0., 0.])
      w = tf.Variable([1., 2.])
      op = v.assign(w)
      u = tf.Variable(w)
      sess = tf.Session()
      sess.run(tf.global_variables_initializer())
      sess.run(op)
      print(sess.run(v), sess.run(u), sess.run(tf.assign_add(v, w)))
      """)
    #expect(result.printed == "[1. 2.] [1. 2.] [2. 4.]\n")
  }
}
