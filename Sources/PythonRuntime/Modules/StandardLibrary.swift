/// The Python standard-library modules a sandboxed program may import — `math`, `functools`,
/// `itertools`, `collections`, `operator`, `copy`, `dataclasses`, `typing` and `random` —
/// implemented in Swift.
///
/// One instance serves one program run (it is what an interpreter's importer asks first), so
/// state such as `random`'s generator is never shared between runs.
public final class StandardLibrary {
  private var loaded: [String: StandardModule] = [:]

  /// Makes the modules of one program run.
  public init() {}

  /// The names of the modules served.
  public static var moduleNames: Set<String> { Set(definitions.keys) }

  /// Every module, by name.
  static let definitions: [String: ModuleDefinition] = Dictionary(
    uniqueKeysWithValues: [
      mathModule, randomModule, itertoolsModule, operatorModule, functoolsModule, collectionsModule, copyModule,
      typingModule, dataclassesModule,
    ].map { ($0.name, $0) })

  /// The module with a dotted name, or nil when the standard library here does not serve it.
  public func module(_ name: String) -> PyValue? {
    if let module = loaded[name] { return .object(module) }
    guard let definition = Self.definitions[name] else { return nil }
    let module = StandardModule(definition)
    loaded[name] = module
    return .object(module)
  }
}

/// What a standard-library module holds: its members, made when first used (they need the
/// interpreter's types), and the public names CPython's module has, so that a name Lockstep
/// lacks is `unsupported` rather than an AttributeError.
struct ModuleDefinition: Sendable {
  /// The module name (`math`).
  let name: String
  /// CPython 3.11's public names of the module (`dir(module)` without underscores).
  let publicNames: Set<String>
  /// Public names that are other modules (`dataclasses.sys`): reaching them is refused.
  var submoduleNames: Set<String> = []
  /// Makes the members for a program's interpreter.
  let members: @Sendable (Interpreter) -> [String: PyValue]

  /// Makes a definition; `publicNames` is a space-separated list.
  init(
    _ name: String, publicNames: String, submodules: String = "",
    members: @escaping @Sendable (Interpreter) -> [String: PyValue]
  ) {
    self.name = name
    self.publicNames = Set(publicNames.split(separator: " ").map(String.init))
    self.submoduleNames = Set(submodules.split(separator: " ").map(String.init))
    self.members = members
  }
}

/// A standard-library module as a program sees it.
final class StandardModule: PyObject {
  let definition: ModuleDefinition
  private var members: [String: PyValue]?

  init(_ definition: ModuleDefinition) {
    self.definition = definition
  }

  var typeName: String { "module" }
  func repr() -> String { "<module '\(definition.name)' (built-in)>" }

  /// The member `name`, made with the members on first use.
  func member(_ name: String, _ interpreter: Interpreter) -> PyValue? {
    if members == nil { members = definition.members(interpreter) }
    return members?[name]
  }

  func attribute(_ name: String, context: CallContext) throws(RuntimeError) -> PyValue {
    if let value = member(name, context.interpreter) { return value }
    let qualified = "\(definition.name).\(name)"
    if definition.submoduleNames.contains(name) {
      throw RuntimeError(.forbidden("'\(qualified)' is refused: scenarios may not reach other modules through it"))
    }
    if definition.publicNames.contains(name) { throw .unsupported(qualified) }
    throw .exception("AttributeError", "module '\(definition.name)' has no attribute '\(name)'")
  }

  func setAttribute(_ name: String, _ value: PyValue) throws(RuntimeError) {
    throw .unsupported("assigning the module attribute '\(definition.name).\(name)'")
  }
}
