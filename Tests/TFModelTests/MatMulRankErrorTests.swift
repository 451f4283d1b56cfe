import Testing

/// `tf.matmul` of an input of rank below 2: TF 2.21 words the failure one way eagerly (by
/// kernel: oneDNN for float32, Eigen for the rest) and another inside `Session.run`. Expected
/// lines are real TF 2.21's with `TF_ENABLE_ONEDNN_OPTS=1`, the path Lockstep models (its eager
/// messages end in ` name: `, which Lockstep's eager messages leave out everywhere).
@Suite struct MatMulRankErrorTests {
  @Test("eager and graph runs word a rank-1 or scalar matmul input as TF 2.21 does")
  func wordingByMode() {
    let result = runProgram(
      """
      import tensorflow as tf
      v1 = tf.compat.v1
      cases = [([1., 2.], [[1., 2.], [3., 4.]]), ([[1., 2.]], 2.0), ([1., 2.], [1., 2.]),
               ([1, 2], [[1, 2], [3, 4]])]
      for a, b in cases:
          try:
              tf.matmul(tf.constant(a), tf.constant(b))
          except tf.errors.InvalidArgumentError as e:
              print("eager:", e.message.split("}}")[-1].strip())
      graph = tf.Graph()
      with graph.as_default():
          p = v1.placeholder(tf.float32)
          q = v1.placeholder(tf.float32)
          product = tf.matmul(p, q)
          with v1.Session() as sess:
              for a, b in [([[1., 2.], [3., 4.]], [1., 2.]), (1., [[1., 2.]])]:
                  try:
                      sess.run(product, {p: a, q: b})
                  except tf.errors.InvalidArgumentError as e:
                      print("graph:", [line for line in e.message.split("\\n") if "ndims" in line][0].strip())
      """)
    #expect(
      result.printed == """
        eager: In[0] ndims must be >= 2 [Op:MatMul]
        eager: In[1] ndims must be >= 2 [Op:MatMul]
        eager: In[0] ndims must be >= 2 [Op:MatMul]
        eager: In[0] and In[1] has different ndims: [2] vs. [2,2] [Op:MatMul]
        graph: In[1] ndims must be >= 2: 1
        graph: In[0] ndims must be >= 2: 0

        """)
  }
}
