import PythonSyntax
import Testing

@testable import PythonRuntime

/// A host object as a module would hand one out.
private final class HostThing: PyObject {
  var typeName: String { "HostThing" }
}

@Suite struct ObjectModelTests {
  /// An interpreter whose only module, `host`, has `thing`, a HostThing.
  func interpreter() -> Interpreter {
    Interpreter { name throws(RuntimeError) in
      guard name == "host" else { throw .exception("ModuleNotFoundError", "No module named '\(name)'") }
      return .object(HostModule())
    }
  }

  private final class HostModule: PyObject {
    let thing = HostThing()
    var typeName: String { "module" }
    func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
      guard name == "thing" else { throw .exception("AttributeError", "no \(name)") }
      return .object(thing)
    }
  }

  @Test("host objects get one type object per type name, based on object")
  func hostTypes() throws {
    let interpreter = interpreter()
    try interpreter.run(
      try Parser.parse(
        "import host\nt = type(host.thing)\nsame = t is type(host.thing)\nname = t.__name__\nobj = "
          + "isinstance(host.thing, object)\n"
      ))
    #expect(interpreter.global("same")?.repr == "True")
    #expect(interpreter.global("name")?.repr == "'HostThing'")
    #expect(interpreter.global("obj")?.repr == "True")
    // Another object of the same host type has the same type object.
    let type = interpreter.typeObject(of: .object(HostThing()))
    #expect(type.mro.map(\.name) == ["HostThing", "object"])
    #expect(interpreter.global("t").flatMap { interpreter.asType($0) } === type)
  }

  @Test("builtin types are the callables the program sees under their names")
  func builtinTypes() throws {
    let interpreter = interpreter()
    try interpreter.run(try Parser.parse("i = int\nf = float\nv = ValueError\n"))
    #expect(interpreter.asType(interpreter.global("i") ?? .none)?.name == "int")
    #expect(interpreter.typeObject(of: .bool(true)).mro.map(\.name) == ["bool", "int", "object"])
    #expect(
      interpreter.asType(interpreter.global("v") ?? .none)?.mro.map(\.name)
        == ["ValueError", "Exception", "BaseException", "object"])
    // TFModel maps `dtype=float` by the builtin's name: it stays a builtin callable.
    guard case let .builtin(function)? = interpreter.global("f") else {
      Issue.record("float is not a builtin callable")
      return
    }
    #expect(function.name == "float" && function.typeObject?.name == "float")
  }

  @Test("a class cannot subclass a host object: unsupported, naming it")
  func hostSubclass() {
    let interpreter = interpreter()
    let expected = RuntimeError(
      .unsupported(feature: "subclassing 'HostThing' objects"), at: SourcePosition(line: 2, column: 9))
    #expect(throws: expected) {
      try interpreter.run(try Parser.parse("import host\nclass C(host.thing):\n    pass\n"))
    }
  }

  @Test("an exception a program raises is the object its handler receives")
  func raisedObjects() throws {
    let interpreter = interpreter()
    try interpreter.run(
      try Parser.parse(
        "class E(Exception):\n    pass\nmade = E('m')\ntry:\n    raise made\nexcept E as caught:\n    same = caught "
          + "is made\n"
      ))
    #expect(interpreter.global("same")?.repr == "True")
  }
}
