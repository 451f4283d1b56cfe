import Testing

@testable import TFModel

/// `tf.Module` subclassed as TF2 programs do, and `tf.name_scope` eagerly and in a graph.
/// Each expected output was printed by real TF 2.21 running the same program.
@Suite struct ModuleTests {
  @Test("tf.Module: names, name scopes, variables and submodules in TF's order, eagerly")
  func eagerModules() {
    let result = runProgram(
      """
      import tensorflow as tf
      with tf.name_scope('outer'):
          with tf.name_scope('inner') as s:
              v = tf.Variable(1.0, name='v')
              print(s, v.name)
          with tf.name_scope('inner') as s2:
              print(s2)
          with tf.name_scope('/abs/') as s3:
              print(s3, tf.Variable(2.0).name)
      print(tf.name_scope('x').name)
      try:
          tf.name_scope(3)
      except Exception as e:
          print(type(e).__name__, e)
      class Block(tf.Module):
          def __init__(self):
              super().__init__()
              with self.name_scope:
                  self.k = tf.Variable([1.0, 2.0], name='kernel')
                  self.inner = Block2()
      class Block2(tf.Module):
          def __init__(self):
              super().__init__(name='leaf')
              self.v = tf.Variable(3.0, name='v')
      b = Block()
      print([v.name for v in b.variables], b.inner.name_scope.name, [m.name for m in b.submodules])
      print(len(b.trainable_variables), len(b.non_trainable_variables))
      plain = tf.Module()
      plain.items = [tf.Variable(1.0, name='p'), {'b': tf.Variable(2.0, name='q'), 'a': (tf.Variable(3.0, name='r'),)}]
      plain.child = b
      plain.again = b.k
      print([v.name for v in plain.variables])
      print([m.name for m in plain.submodules])
      try:
          b.name = 'other'
      except AttributeError as e:
          print('AttributeError', e)
      print(isinstance(b, tf.Module), issubclass(Block, tf.Module), tf.Module.__name__)
      """)
    #expect(
      result.printed == #"""
        outer/inner/ outer/inner/v:0
        outer/inner/
        /abs/ /abs/Variable:0
        x
        ValueError name for name_scope must be a string.
        ['block/kernel:0', 'block/v:0'] block/leaf/ ['leaf']
        2 0
        ['block/kernel:0', 'p:0', 'r:0', 'q:0', 'block/v:0']
        ['block', 'leaf']
        AttributeError property 'name' of 'Block' object has no setter
        True True Module

        """#)
  }

  @Test("tf.compat.v1.name_scope and tf.Module in a TF1 graph: scopes made unique, TF's name checks")
  func graphScopes() {
    let result = runProgram(
      #"""
      import tensorflow.compat.v1 as tf
      tf.disable_v2_behavior()
      with tf.name_scope('layer'):
          a = tf.constant(1.0, name='a')
          b = tf.add(a, 2.0)
          with tf.name_scope('layer') as inner:
              c = tf.multiply(b, 3.0)
              print(inner)
      with tf.name_scope('layer') as again:
          d = tf.identity(c)
          v = tf.Variable(1.0, name='w')
      print(a.name, b.name, c.name, d.name, again, v.name)
      with tf.name_scope(None, default_name='default') as s:
          print(s)
      class M(tf.Module):
          def __init__(self):
              super().__init__()
              with self.name_scope:
                  self.w = tf.Variable(1.0, name='w')
      m1 = M()
      m2 = M()
      print(m1.name, m2.name, m1.w.name, m2.w.name, m1.name_scope.name)
      try:
          with tf.name_scope('bad name'):
              pass
      except ValueError as e:
          print('ValueError', e)
      with tf.name_scope('ok'):
          try:
              with tf.name_scope('_fine?'):
                  pass
          except ValueError as e:
              print('ValueError', e)
      """#)
    #expect(
      result.printed == #"""
        layer/layer/
        layer/a:0 layer/Add:0 layer/layer/Mul:0 layer_1/Identity:0 layer_1/ layer_1/w:0
        default/
        m m m/w:0 m_1/w:0 m/
        ValueError 'bad name' is not a valid root scope name. A root scope name has to match \#
        the following pattern: ^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$
        ValueError '_fine?' is not a valid scope name. A scope name has to match the following \#
        pattern: ^[A-Za-z0-9_.\\/>-]*$

        """#)
  }

  @Test("tf.Module's defaults: snake-case names from the class, identifiers only, and a forgotten super().__init__()")
  func moduleNames() {
    let result = runProgram(
      """
      import tensorflow as tf
      class NoSuper(tf.Module):
          def __init__(self):
              self.v = tf.Variable(1.0)
      class CamelCaseHTTPThing(tf.Module):
          pass
      ns = NoSuper()
      print([v.name for v in ns.variables], CamelCaseHTTPThing().name, tf.Module().name, tf.Module(name='x').name)
      try:
          print(ns.name)
      except AttributeError as e:
          print(e)
      try:
          tf.Module(name='bad name')
      except ValueError as e:
          print(e)
      """)
    #expect(
      result.printed == """
        ['Variable:0'] camel_case_http_thing module x
        'NoSuper' object has no attribute '_name'
        'bad name' is not a valid module name. Module names must be valid Python identifiers (e.g. a valid class name).

        """)
  }
}
