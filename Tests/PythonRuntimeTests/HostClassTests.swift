import PythonSyntax
import Testing

@testable import PythonRuntime

/// A host class as Keras's `Layer` will be: its `__call__` (Swift) builds the layer once
/// through `build` and then runs `call`, each found through the instance's class, so a
/// program's overrides are what host code reaches.
private func makeLayerClass() -> HostClass {
  func method(_ name: String, _ body: @escaping (PyInstance, Arguments, CallContext) throws(RuntimeError) -> PyValue)
    -> HostClass.Member
  {
    .method(
      BuiltinFunction(name) { arguments, context throws(RuntimeError) in
        guard case let .object(instance as PyInstance)? = arguments.positional.first else {
          throw .typeError("\(name) needs an instance")
        }
        return try body(
          instance, Arguments(Array(arguments.positional.dropFirst()), keywords: arguments.keywords), context)
      })
  }
  return HostClass(
    name: "Layer", module: "testhost",
    members: [
      "__init__": method("__init__") { instance, arguments, context throws(RuntimeError) in
        try instance.setAttribute("built", .bool(false), context: context)
        try instance.setAttribute("units", arguments.positional.first ?? .int(1), context: context)
        return .none
      },
      "__call__": method("__call__") { instance, arguments, context throws(RuntimeError) in
        guard let built = instance.instanceAttributes["built"] else {
          throw .exception("AttributeError", "'\(instance.className)' object has no attribute 'built'")
        }
        if case .bool(false) = built {
          _ = try instance.callMethod("build", Arguments([.string("shape")]), context: context)
          try instance.setAttribute("built", .bool(true), context: context)
        }
        return try instance.callMethod("call", arguments, context: context) ?? .none
      },
      "build": method("build") { instance, _, context throws(RuntimeError) in
        try instance.setAttribute("built_by", .string("host"), context: context)
        return .none
      },
      "call": method("call") { _, arguments, _ throws(RuntimeError) in arguments.positional.first ?? .none },
    ])
}

/// The module `testhost` that the programs below import.
private final class TestHostModule: PyObject {
  let layer = makeLayerClass()
  var typeName: String { "module" }
  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    guard name == "Layer" else { throw .exception("AttributeError", "module 'testhost' has no attribute '\(name)'") }
    return .object(layer)
  }
}

@Suite struct HostClassTests {
  /// What a program prints, with an uncaught error as its last line.
  func run(_ source: String) throws -> String {
    let module = TestHostModule()
    let interpreter = Interpreter { name throws(RuntimeError) in
      guard name == "testhost" else { throw .exception("ModuleNotFoundError", "No module named '\(name)'") }
      return .object(module)
    }
    do {
      try interpreter.run(try Parser.parse("from testhost import Layer\n" + source))
    } catch let error as RuntimeError {
      return interpreter.output + error.message
    }
    return interpreter.output
  }

  @Test("host code reaches a program's overrides of build and call")
  func overridesReached() throws {
    let output = try run(
      """
      class Double(Layer):
          def build(self, shape):
              self.built_by = 'program ' + shape
          def call(self, x):
              return 2 * x * self.units
      d = Double(3)
      print(d(5), d(1), d.built, d.built_by)
      print(isinstance(d, Layer), issubclass(Double, Layer), Layer.__name__, repr(Layer))
      """)
    #expect(output == "30 6 True program shape\nTrue True Layer <class 'testhost.Layer'>\n")
  }

  @Test("the host class's own methods run where the program does not override them")
  func hostDefaults() throws {
    let output = try run(
      """
      class Same(Layer):
          def __init__(self):
              super().__init__(7)
              self.extra = 1
      s = Same()
      print(s('x'), s.built_by, s.units, s.extra)
      plain = Layer()
      print(plain(4), plain.units, repr(plain))
      """)
    #expect(output == "x host 7 1\n4 1 <testhost.Layer object>\n")
  }

  @Test("a subclass that does not call the host __init__ lacks the host's attributes")
  func forgottenSuperInit() throws {
    let output = try run(
      """
      class Lazy(Layer):
          def __init__(self):
              self.units = 2
      print(Lazy()(3))
      """)
    #expect(output == "AttributeError: 'Lazy' object has no attribute 'built'")
  }
}
