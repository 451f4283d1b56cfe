import PythonSyntax

/// A namespace of variables: a module's globals, one function call's locals, a comprehension's
/// targets, or a class body.
///
/// A function call or a compiled comprehension keeps its locals in `slots`, one per name of
/// its `layout` (resolved when the function is defined); other scopes keep named cells, so
/// that compiled code can hold on to a global's cell instead of looking its name up.
final class Scope {
  /// The variables of a module, class body or builtins scope (a cell stays when unbound).
  @exclusivity(unchecked) private var cells: [String: Cell] = [:]
  /// One value per local name of `layout`; nil while unbound. Raw storage, read and written
  /// by compiled code by index (the layout fixes the count).
  let slots: UnsafeMutablePointer<PyValue?>
  let slotCount: Int
  /// The local names and their slots, for function calls and compiled comprehensions.
  let layout: SlotLayout?
  /// The enclosing scope that names not bound here are looked up in (reset when a function
  /// call's scope is reused, see `FunctionCode.callScope`).
  @exclusivity(unchecked) var parent: Scope?
  /// The names the function declares `global` or `nonlocal`, when it declares any: they are
  /// read and assigned in the scope that owns them.
  let declarations: Declarations?
  /// The function a call scope runs (for `super()` and qualified names).
  @exclusivity(unchecked) var function: PyFunction?
  /// For a class body, its qualified name and the cell its methods share; functions defined
  /// inside do not see the body's names.
  let classBody: (qualifiedName: String, cell: ClassCell)?

  init(
    parent: Scope?, layout: SlotLayout? = nil, declarations: Declarations? = nil, function: PyFunction? = nil,
    classBody: (qualifiedName: String, cell: ClassCell)? = nil
  ) {
    self.parent = parent
    self.layout = layout
    slotCount = layout?.names.count ?? 0
    slots = UnsafeMutablePointer<PyValue?>.allocate(capacity: slotCount)
    slots.initialize(repeating: nil, count: slotCount)
    self.declarations = declarations
    self.function = function
    self.classBody = classBody
  }

  /// The closure of a function collected with the scope it was defined in (nothing reads it).
  nonisolated(unsafe) static let detached = Scope(parent: nil)

  deinit {
    slots.deinitialize(count: slotCount)
    slots.deallocate()
  }

  /// Unbinds every slot, for reuse by another call.
  func unbindSlots() {
    for slot in 0..<slotCount { slots[slot] = nil }
  }

  /// What a function or class defined here puts in front of its name: `C.`, `f.<locals>.`.
  var qualifiedPrefix: String {
    if let classBody { return classBody.qualifiedName + "." }
    if let function { return function.qualifiedName + ".<locals>." }
    // A comprehension's scope takes its enclosing function's prefix; the module has none.
    guard let parent, parent.parent != nil else { return "" }
    return parent.qualifiedPrefix
  }

  /// What looking a name up found.
  enum Lookup {
    case found(PyValue)
    /// A local of this function that has no value yet.
    case unbound
    /// A local of an enclosing function that has no value yet (a free variable).
    case unboundFree
    case missing
  }

  /// The value bound to a name here or in an enclosing scope.
  func lookup(_ name: String) -> Lookup {
    if let layout, let slot = layout.index[name] {
      if let value = slots[slot] { return .found(value) }
      return .unbound
    }
    if let value = cells[name]?.value { return .found(value) }
    if let declarations, declarations.globals.contains(name) { return module.lookup(name) }
    switch parent?.lookup(name) ?? .missing {
    case .unbound: return .unboundFree
    case let other: return other
    }
  }

  /// Whether `name` is a local of this function call or comprehension.
  func isLocal(_ name: String) -> Bool { layout?.index[name] != nil }

  /// Binds a name in this scope, or in the scope a `global`/`nonlocal` declaration names.
  @inline(__always)
  func assign(_ name: String, _ value: PyValue) throws(RuntimeError) {
    if declarations == nil {
      bind(name, value)
    } else {
      try assignDeclared(name, value)
    }
  }

  /// `assign` in a function that declares names `global` or `nonlocal`.
  @inline(never)
  private func assignDeclared(_ name: String, _ value: PyValue) throws(RuntimeError) {
    if let declarations {
      if declarations.globals.contains(name) { return module.bind(name, value) }
      if declarations.nonlocals.contains(name) {
        guard let owner = nonlocalOwner(of: name) else {
          throw .exception("SyntaxError", "no binding for nonlocal '\(name)' found")
        }
        return owner.bind(name, value)
      }
    }
    bind(name, value)
  }

  /// The enclosing function scope a `nonlocal` name belongs to.
  private func nonlocalOwner(of name: String) -> Scope? {
    var owner = parent
    while let scope = owner, !scope.isLocal(name) { owner = scope.parent }
    guard let owner, owner.parent != nil else { return nil }
    return owner
  }

  /// Unbinds a name (`del name`) here or where its `global`/`nonlocal` declaration points;
  /// false when it was not bound.
  func delete(_ name: String) -> Bool {
    if let declarations {
      if declarations.globals.contains(name) { return module.unbind(name) }
      if declarations.nonlocals.contains(name) { return nonlocalOwner(of: name)?.unbind(name) ?? false }
    }
    return unbind(name)
  }

  /// Unbinds a name bound in this scope itself; false when it was not bound.
  private func unbind(_ name: String) -> Bool {
    if let layout, let slot = layout.index[name] {
      defer { slots[slot] = nil }
      return slots[slot] != nil
    }
    guard let cell = cells[name], cell.value != nil else { return false }
    cell.value = nil
    return true
  }

  /// Binds a name in this scope itself (parameters, builtins).
  func bind(_ name: String, _ value: PyValue) {
    if let layout, let slot = layout.index[name] { return slots[slot] = value }
    if let cell = cells[name] {
      cell.value = value
    } else {
      cells[name] = Cell(value)
    }
  }

  /// The cell of a module-level name, made unbound when the name has none yet; compiled
  /// code reads and writes globals through it.
  func cell(_ name: String) -> Cell {
    if let cell = cells[name] { return cell }
    let cell = Cell(nil)
    cells[name] = cell
    return cell
  }

  /// The cell of a name bound here, if any (for the builtins).
  func existingCell(_ name: String) -> Cell? { cells[name] }

  /// The module's scope: the outermost below the builtins.
  var module: Scope {
    var scope = self
    while let parent = scope.parent, parent.parent != nil { scope = parent }
    return scope
  }

  /// The value bound in this scope only.
  func local(_ name: String) -> PyValue? {
    if let layout, let slot = layout.index[name] { return slots[slot] }
    return cells[name]?.value
  }

  /// Unbinds every variable (the cells stay, empty): a finished program's module scope lets
  /// go of its functions and classes, which refer back to it.
  func unbindAll() {
    for cell in cells.values { cell.value = nil }
    unbindSlots()
  }

  /// The names bound in this scope, in no particular order (a class body's namespace).
  var bindings: [String: PyValue] {
    var result: [String: PyValue] = [:]
    for (name, cell) in cells { if let value = cell.value { result[name] = value } }
    if let layout {
      for (name, slot) in layout.index { if let value = slots[slot] { result[name] = value } }
    }
    return result
  }

  /// A variable of a module or class body: compiled code keeps the cell of each global it uses.
  final class Cell {
    @exclusivity(unchecked) var value: PyValue?
    init(_ value: PyValue?) { self.value = value }
  }
}

/// The local names of a function (parameters first, in order) or comprehension, each with
/// the index of its slot in a call's scope.
final class SlotLayout {
  /// The names, by slot.
  let names: [String]
  /// The slot of each name.
  let index: [String: Int]

  init(parameters: [String], locals: Set<String>) {
    var names = parameters
    names += locals.subtracting(parameters).sorted()
    self.names = names
    var index: [String: Int] = [:]
    for (slot, name) in names.enumerated() where index[name] == nil { index[name] = slot }
    self.index = index
  }
}

/// The names a function body declares `global` or `nonlocal`.
struct Declarations {
  var globals: Set<String> = []
  var nonlocals: Set<String> = []
  var isEmpty: Bool { globals.isEmpty && nonlocals.isEmpty }
}

/// The names a function body binds (assignment and loop targets, `with … as`, `def`,
/// imports), which Python treats as locals of the whole body. Nested functions and
/// lambdas have their own.
enum LocalNames {
  static func of(_ body: [Stmt], parameters: [String]) -> Set<String> {
    var names = Set(parameters)
    for statement in body { collect(statement, into: &names) }
    return names
  }

  /// The `global` and `nonlocal` declarations of a body, outside nested functions and classes.
  static func declarations(of body: [Stmt]) -> Declarations {
    var declarations = Declarations()
    func visit(_ statements: [Stmt]) {
      for statement in statements {
        switch statement.kind {
        case let .global(names): declarations.globals.formUnion(names)
        case let .nonlocal(names): declarations.nonlocals.formUnion(names)
        case let .with(_, body): visit(body)
        case let .for(_, _, body, orElse), let .while(_, body, orElse), let .if(_, body, orElse): visit(body + orElse)
        case let .try(body, handlers, orElse, finally):
          visit(body + orElse + finally)
          for handler in handlers { visit(handler.body) }
        default: break
        }
      }
    }
    visit(body)
    return declarations
  }

  private static func collect(_ statement: Stmt, into names: inout Set<String>) {
    names.formUnion(statement.namedExpressionTargets)
    switch statement.kind {
    case let .assign(targets, _):
      for target in targets { bound(by: target, into: &names) }
    case let .augmentedAssign(target, _, _), let .annotatedAssign(target, _, _):
      bound(by: target, into: &names)
    case let .import(imports):
      for item in imports { names.insert(item.alias ?? String(item.name.split(separator: ".")[0])) }
    case let .fromImport(_, imports):
      for item in imports { names.insert(item.alias ?? item.name) }
    case let .with(items, body):
      for item in items { if let target = item.target { bound(by: target, into: &names) } }
      for inner in body { collect(inner, into: &names) }
    case let .for(target, _, body, orElse):
      bound(by: target, into: &names)
      for inner in body + orElse { collect(inner, into: &names) }
    case let .while(_, body, orElse), let .if(_, body, orElse):
      for inner in body + orElse { collect(inner, into: &names) }
    case let .functionDef(name, _, _, _), let .classDef(name, _, _, _):
      names.insert(name)
    case let .try(body, handlers, orElse, finally):
      for inner in body + orElse + finally { collect(inner, into: &names) }
      for handler in handlers {
        if let name = handler.name { names.insert(name) }
        for inner in handler.body { collect(inner, into: &names) }
      }
    case let .delete(targets):
      for target in targets { bound(by: target, into: &names) }
    case .expression, .return, .pass, .break, .continue, .raise, .assert, .global, .nonlocal:
      break
    }
  }

  private static func bound(by target: Expr, into names: inout Set<String>) {
    names.formUnion(target.boundNames)
  }
}
