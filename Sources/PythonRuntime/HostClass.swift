/// A class implemented in Swift that programs may call and subclass (`tf.Module`): its
/// methods and properties are builtins that receive the instance first, and an instance of a
/// program class deriving from it is an ordinary `PyInstance`, so host code reaches the
/// program's overrides through the instance's class (`PyInstance.callMethod`).
///
/// The value a module hands out is this object; each interpreter makes one type object for
/// it (`TypeRegistry.hostClass`), so `isinstance`, `super()` and the MRO see a real class.
public final class HostClass: PyObject {
  /// A member of the class.
  public enum Member {
    /// A method: called with the instance as its first positional argument.
    case method(BuiltinFunction)
    /// A read-only property: its getter is called with the instance.
    case property(BuiltinFunction)
  }

  /// `__name__`.
  public let name: String
  /// The module that defines it, as `repr` shows it (`tensorflow.python.module.module`).
  public let module: String
  /// The host classes it derives from (none: `object`).
  public let bases: [HostClass]
  /// Its methods and properties.
  public let members: [String: Member]
  /// Why programs cannot subclass it yet (an `unsupported` feature), or nil when they can.
  public let subclassingUnsupported: String?

  /// A host class.
  public init(
    name: String, module: String, bases: [HostClass] = [], members: [String: Member],
    subclassingUnsupported: String? = nil
  ) {
    self.name = name
    self.module = module
    self.bases = bases
    self.members = members
    self.subclassingUnsupported = subclassingUnsupported
  }

  public var typeName: String { "type" }
  public func repr() -> String { "<class '\(module).\(name)'>" }

  public func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    try context.interpreter.classAttribute(context.interpreter.types.hostClass(self), name)
  }

  public func call(_ arguments: Arguments, context: CallContext) throws(RuntimeError) -> PyValue {
    try context.interpreter.instantiate(context.interpreter.types.hostClass(self), arguments, at: context.location)
  }
}

extension TypeRegistry {
  /// The type object of a host class in this interpreter, made on first use.
  func hostClass(_ host: HostClass) -> PyType {
    let key = ObjectIdentifier(host)
    if let known = hostClasses[key] { return known }
    var attributes: [String: PyValue] = [:]
    for (name, member) in host.members {
      switch member {
      case let .method(function): attributes[name] = .object(PyMethodDescriptor(function))
      case let .property(getter): attributes[name] = .object(PyProperty(getter: .builtin(getter), setter: nil))
      }
    }
    let bases = host.bases.isEmpty ? [object] : host.bases.map { hostClass($0) }
    let type: PyType
    do {
      type = try PyType(
        name: host.name, qualifiedName: "\(host.module).\(host.name)", bases: bases, attributes: attributes,
        isBuiltin: true)
    } catch {
      preconditionFailure("host class \(host.name) has an inconsistent MRO")
    }
    type.host = host
    hostClasses[key] = type
    return type
  }
}

extension PyInstance {
  /// The instance's own attributes (`vars(instance)`), for host code that walks them as
  /// TensorFlow does (`tf.Module.variables`); programs cannot reach this.
  public var instanceAttributes: [String: PyValue] { attributes.dictionary }

  /// The name of the instance's class (`type(self).__name__`).
  public var className: String { cls.name }

  /// Sets an attribute as `self.name = value` in a method does (properties' setters apply).
  public func setAttribute(_ name: String, _ value: PyValue, context: CallContext) throws(RuntimeError) {
    try context.interpreter.setInstanceAttribute(self, name, value, at: context.location)
  }

  /// Calls the method `name` as `self.name(...)` would find it (a program class's override
  /// first, then the host class's own), or returns nil when the class has no such attribute.
  public func callMethod(_ name: String, _ arguments: Arguments, context: CallContext) throws(RuntimeError)
    -> PyValue?
  {
    guard let method = cls.lookup(name) else { return nil }
    return try context.interpreter.callMethod(method, on: .object(self), arguments, at: context.location)
  }

  /// Whether the instance's class derives from the host class `host`.
  public func isInstance(of host: HostClass, context: CallContext) -> Bool {
    cls.isSubtype(of: context.interpreter.types.hostClass(host))
  }
}
