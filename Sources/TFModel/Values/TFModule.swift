import PythonRuntime

/// A Python module of TensorFlow or NumPy as a program sees it.
///
/// Attribute lookup answers in three ways: a member Lockstep implements; a member the real
/// module has but Lockstep does not model (an `unsupported` error naming the API); or a
/// name the real module lacks (`AttributeError` with the module's real `__name__`).
final class TFModule: PyObject {
  /// The real `__name__` (`tensorflow._api.v2.compat.v1`).
  let realName: String
  /// The path the program reached it by (`tf.compat.v1`), for messages.
  let path: String
  unowned let runtime: TFRuntime
  /// Members already looked up: `tf.nn.relu` in a training loop resolves once.
  private var members: [String: PyValue] = [:]

  init(realName: String, path: String, runtime: TFRuntime) {
    self.realName = realName
    self.path = path
    self.runtime = runtime
  }

  var typeName: String { "module" }

  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    if let value = members[name] { return value }
    let value = try resolve(name)
    members[name] = value
    return value
  }

  /// A member as the profile's API table and Lockstep's implementations answer for it.
  private func resolve(_ name: String) throws(RuntimeError) -> PyValue {
    if let value = runtime.implementation(of: name, in: realName) { return value }
    switch runtime.api.member(name, of: realName) {
    case let .module(child)?:
      return .object(runtime.module(realName: child, path: "\(path).\(name)"))
    case .value?:
      throw .unsupported("\(path).\(name)")
    case nil:
      throw .exception("AttributeError", "module '\(realName)' has no attribute '\(name)'")
    }
  }

  func setAttribute(_ name: String, _ value: PyValue) throws(RuntimeError) {
    throw RuntimeError(.forbidden("assigning '\(path).\(name)' is refused: scenarios cannot patch TensorFlow"))
  }

  func repr() -> String { "<module '\(realName)'>" }
}
