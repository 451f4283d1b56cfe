import PythonSyntax

/// A Python type: a builtin one (`int`, `list`, `ValueError` …), a host type that a module
/// hands out, or a class the program defined; its method resolution order is C3's.
public final class PyType: PyObject {
  /// `__name__`.
  public let name: String
  /// `__qualname__`, as `repr` and errors show it (`Outer.Inner`).
  public let qualifiedName: String
  /// The direct base classes.
  public let bases: [PyType]
  /// The method resolution order, this type first.
  @exclusivity(unchecked) public private(set) var mro: [PyType] = []
  /// The class namespace: methods, class attributes, descriptors.
  @exclusivity(unchecked) var attributes: [String: PyValue] {
    didSet { invalidateLookups() }
  }
  /// Bumped whenever an attribute of this type or of a type in its MRO changes, so cached
  /// lookups can tell they are stale.
  @exclusivity(unchecked) private(set) var version = 0
  /// The types whose MRO holds this one (weakly: a class does not keep its subclasses alive).
  @exclusivity(unchecked) private var subtypes: [WeakType] = []
  private struct WeakType {
    weak var type: PyType?
  }
  /// Whether Lockstep provides the type (its attributes cannot be set).
  public let isBuiltin: Bool
  /// For a builtin type, the callable the program sees under its name (`int`, `ValueError`);
  /// weak, as that callable refers to its type.
  weak var constructor: BuiltinFunction?
  /// The interpreter that runs a program-defined class's methods.
  weak var interpreter: Interpreter?
  /// For a host class (`tf.Module`), the Swift class it stands for.
  var host: HostClass?
  /// `__module__` of a class that is not builtin: `__main__`, or the standard-library module
  /// that made it (`collections`).
  var moduleName = "__main__"

  /// Makes a type and computes its MRO; fails as Python does when no consistent order exists.
  init(
    name: String, qualifiedName: String? = nil, bases: [PyType], attributes: [String: PyValue] = [:],
    isBuiltin: Bool
  ) throws(RuntimeError) {
    self.name = name
    self.qualifiedName = qualifiedName ?? name
    self.bases = bases
    self.attributes = attributes
    self.isBuiltin = isBuiltin
    self.mro = try Self.c3(self, bases: bases)
    for base in mro.dropFirst() { base.register(subtype: self) }
  }

  /// Remembers a type whose MRO holds this one, dropping those gone each time the list doubles.
  private func register(subtype: PyType) {
    if subtypes.count >= 8 && subtypes.count & (subtypes.count - 1) == 0 { subtypes.removeAll { $0.type == nil } }
    subtypes.append(WeakType(type: subtype))
  }

  /// Marks lookups through this type and its subtypes stale.
  private func invalidateLookups() {
    version &+= 1
    for subtype in subtypes { subtype.type?.version &+= 1 }
  }

  /// C3 linearisation: this type, then a merge of the bases' orders that keeps every local
  /// precedence order.
  private static func c3(_ type: PyType, bases: [PyType]) throws(RuntimeError) -> [PyType] {
    var sequences = bases.map(\.mro) + [bases]
    var result = [type]
    while true {
      sequences.removeAll { $0.isEmpty }
      if sequences.isEmpty { return result }
      let head = sequences.lazy.map { $0[0] }.first { candidate in
        !sequences.contains { sequence in sequence.dropFirst().contains { $0 === candidate } }
      }
      guard let head else {
        throw .typeError(
          "Cannot create a consistent method resolution\norder (MRO) for bases "
            + bases.map(\.name).joined(separator: ", "))
      }
      result.append(head)
      sequences = sequences.map { $0[0] === head ? Array($0.dropFirst()) : $0 }
    }
  }

  /// The value a program holds for this type: a builtin's callable, or the class itself.
  public var value: PyValue {
    if let constructor { return .builtin(constructor) }
    return .object(self)
  }

  /// Whether this type is `other` or derives from it.
  public func isSubtype(of other: PyType) -> Bool {
    mro.contains { $0 === other }
  }

  /// The attribute `name` found along the MRO, without binding.
  func lookup(_ name: String) -> PyValue? {
    for type in mro {
      if let value = type.attributes[name] { return value }
    }
    return nil
  }

  /// The attribute `name` defined by a program class or a host class along the MRO
  /// (protocol dunders that builtin types implement in Swift are not found here).
  func lookupDefined(_ name: String) -> PyValue? {
    for type in mro where !type.isBuiltin || type.host != nil {
      if let value = type.attributes[name] { return value }
    }
    return nil
  }

  /// The nearest builtin type in the MRO (`object` for a plain class, `ValueError` for an
  /// exception class deriving from it).
  var builtinBase: PyType {
    mro.first { $0.isBuiltin } ?? self
  }

  public var typeName: String { "type" }
  public func repr() -> String {
    if let host { return host.repr() }
    return isBuiltin ? "<class '\(qualifiedName)'>" : "<class '\(moduleName).\(qualifiedName)'>"
  }

  public func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    try context.interpreter.classAttribute(self, name)
  }

  public func item(_ index: PyValue, context: CallContext) throws(RuntimeError) -> PyValue {
    throw .typeError("type '\(name)' is not subscriptable")
  }

  public func setAttribute(_ name: String, _ value: PyValue) throws(RuntimeError) {
    guard !isBuiltin else { throw .typeError("cannot set '\(name)' attribute of immutable type '\(self.name)'") }
    attributes[name] = value
  }

  public func call(_ arguments: Arguments, context: CallContext) throws(RuntimeError) -> PyValue {
    try context.interpreter.instantiate(self, arguments, at: context.location)
  }
}

/// One attribute name's lookup along a class's MRO, remembered for the last class it was
/// asked about until an attribute of that class or its bases changes. Compiled code keeps one
/// per `x.name` it contains.
final class ClassLookupCache {
  @exclusivity(unchecked) private var type: PyType?
  @exclusivity(unchecked) private var version = 0
  @exclusivity(unchecked) private var value: PyValue?

  /// `type.lookup(name)`.
  @inline(__always)
  func lookup(_ type: PyType, _ name: String) -> PyValue? {
    if self.type === type && version == type.version { return value }
    value = type.lookup(name)
    self.type = type
    version = type.version
    return value
  }
}
