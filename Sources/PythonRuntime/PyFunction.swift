import PythonSyntax

/// A function defined by the program, with the scope it closes over.
public final class PyFunction {
  /// The function's name (`<lambda>` for lambdas); `functools.wraps` copies another's.
  public internal(set) var name: String
  /// Parameters with their default values, already evaluated at definition time.
  public let parameters: [(name: String, defaultValue: PyValue?)]
  /// The body; a lambda's body is a single `return`.
  public let body: [PythonSyntax.Stmt]
  /// The scope the function was defined in (detached when the function and that scope are
  /// collected together, see `FunctionCode.recycle`).
  @exclusivity(unchecked) var closure: Scope
  /// What the definition determines: locals and their slots, declarations, the compiled body.
  let code: FunctionCode
  /// How each parameter takes arguments, in the order of `parameters`.
  let kinds: [PythonSyntax.Parameter.Kind]
  /// The name errors show: `C.method`, `outer.<locals>.inner`.
  var qualifiedName: String
  /// The class a method was defined in, for zero-argument `super()`; set when the class is made.
  let classCell: ClassCell?

  /// Whether every parameter is a plain positional-or-keyword one (the fast call path).
  var isSimple: Bool { code.isSimple }
  /// Whether the body yields: calling the function makes a generator.
  var isGenerator: Bool { code.isGenerator }

  init(
    name: String, qualifiedName: String, parameters: [(name: String, defaultValue: PyValue?)],
    kinds: [PythonSyntax.Parameter.Kind], body: [PythonSyntax.Stmt], closure: Scope, classCell: ClassCell?,
    code: FunctionCode? = nil
  ) {
    self.name = name
    self.qualifiedName = qualifiedName
    self.parameters = parameters
    self.kinds = kinds
    self.body = body
    self.closure = closure
    self.classCell = classCell
    self.code = code ?? FunctionCode(parameters: parameters.map(\.name), kinds: kinds, body: body)
  }

  /// Binds a call's arguments to the parameters in a new local scope, raising Python's
  /// `TypeError` messages for missing, surplus, unknown or repeated arguments.
  func bind(_ arguments: Arguments, into scope: Scope) throws(RuntimeError) {
    let positional = arguments.positional
    if isSimple && arguments.keywords.isEmpty && positional.count == parameters.count {
      for (slot, value) in positional.enumerated() { scope.slots[slot] = value }
      return
    }
    var values = [PyValue?](repeating: nil, count: parameters.count)
    var positionalSlots: [Int] = []
    var varPositional: Int?
    var varKeyword: Int?
    for (index, kind) in kinds.enumerated() {
      switch kind {
      case .positionalOnly, .normal: positionalSlots.append(index)
      case .varPositional: varPositional = index
      case .varKeyword: varKeyword = index
      case .keywordOnly: break
      }
    }
    for (slot, value) in zip(positionalSlots, positional) { values[slot] = value }
    if positional.count > positionalSlots.count {
      guard let varPositional else { throw tooManyPositional(positionalSlots, given: positional.count) }
      values[varPositional] = .tuple(Array(positional[positionalSlots.count...]))
    } else if let varPositional {
      values[varPositional] = .tuple([])
    }
    let extra = PyDict()
    var positionalOnlyPassed: [String] = []
    for (name, value) in arguments.keywords {
      if let index = parameters.firstIndex(where: { $0.name == name }),
        kinds[index] == .normal || kinds[index] == .keywordOnly
      {
        guard values[index] == nil else {
          throw .typeError("\(qualifiedName)() got multiple values for argument '\(name)'")
        }
        values[index] = value
      } else if varKeyword != nil {
        try extra.set(value, for: .string(name))
      } else if let index = parameters.firstIndex(where: { $0.name == name }), kinds[index] == .positionalOnly {
        positionalOnlyPassed.append(name)
      } else {
        throw .typeError("\(qualifiedName)() got an unexpected keyword argument '\(name)'")
      }
    }
    if !positionalOnlyPassed.isEmpty {
      throw .typeError(
        "\(qualifiedName)() got some positional-only arguments passed as keyword arguments: '"
          + positionalOnlyPassed.joined(separator: ", ") + "'")
    }
    if let varKeyword { values[varKeyword] = .dict(extra) }
    var missingPositional: [String] = []
    var missingKeywordOnly: [String] = []
    for index in parameters.indices where values[index] == nil {
      if let defaultValue = parameters[index].defaultValue {
        values[index] = defaultValue
      } else if kinds[index] == .keywordOnly {
        missingKeywordOnly.append(parameters[index].name)
      } else {
        missingPositional.append(parameters[index].name)
      }
    }
    if !missingPositional.isEmpty { throw missing(missingPositional, "positional") }
    if !missingKeywordOnly.isEmpty { throw missing(missingKeywordOnly, "keyword-only") }
    for (parameter, value) in zip(parameters, values) { scope.bind(parameter.name, value ?? .none) }
  }

  private func tooManyPositional(_ slots: [Int], given: Int) -> RuntimeError {
    let required = slots.filter { parameters[$0].defaultValue == nil }.count
    let takes = required == slots.count ? "\(slots.count)" : "from \(required) to \(slots.count)"
    // CPython says "arguments" for a range ("from 0 to 1"), whatever its bounds.
    let plural = slots.count != 1 || required != slots.count
    return .typeError(
      "\(qualifiedName)() takes \(takes) positional argument\(plural ? "s" : "") but \(given) "
        + "\(given == 1 ? "was" : "were") given")
  }

  private func missing(_ names: [String], _ kind: String) -> RuntimeError {
    let quoted = names.map { "'\($0)'" }
    let list =
      switch quoted.count {
      case 1: quoted[0]
      case 2: "\(quoted[0]) and \(quoted[1])"
      default: quoted.dropLast().joined(separator: ", ") + ", and " + quoted.last!
      }
    return .typeError(
      "\(qualifiedName)() missing \(names.count) required \(kind) argument\(names.count == 1 ? "" : "s"): \(list)")
  }
}

/// What a function's definition determines once, shared by every function object one `def`
/// site makes: its local names and their slots, its declarations, and its compiled body.
final class FunctionCode {
  /// The local names (parameters first, in order) and their slots.
  let layout: SlotLayout
  /// The body's `global` and `nonlocal` declarations, when it has any.
  let declarations: Declarations?
  /// Whether every parameter is a plain positional-or-keyword one (the fast call path).
  let isSimple: Bool
  /// Whether the body yields: calling the function makes a generator.
  let isGenerator: Bool
  /// The number of positional arguments a call fills the parameters with exactly, for a
  /// simple function that is not a generator; -1 otherwise (those calls bind `Arguments`).
  let directArity: Int
  /// The body compiled to closures, made on the first call (`isCompiled` says when; until
  /// then this is a placeholder). Not an optional: a call copies a closure, not an enum.
  @exclusivity(unchecked) var run: CompiledBlock = { _, _ throws(RuntimeError) in .normal }
  @exclusivity(unchecked) var isCompiled = false
  /// A call scope that the last call left behind unreferenced, its slots unbound and its
  /// links dropped (so that it keeps nothing alive), ready for the next call.
  @exclusivity(unchecked) private var spareScope: Scope?
  /// Whether the spare keeps its links (the code is in the interpreter's `linkedSpares`).
  @exclusivity(unchecked) private var keepsLinks = false

  init(parameters: [String], kinds: [PythonSyntax.Parameter.Kind], body: [PythonSyntax.Stmt]) {
    let declarations = LocalNames.declarations(of: body)
    self.declarations = declarations.isEmpty ? nil : declarations
    let locals = LocalNames.of(body, parameters: parameters)
      .subtracting(declarations.globals).subtracting(declarations.nonlocals)
    self.layout = SlotLayout(parameters: parameters, locals: locals)
    self.isSimple = kinds.allSatisfy { $0 == .normal }
    self.isGenerator = YieldScan.contains(body)
    self.directArity = isSimple && !isGenerator ? parameters.count : -1
  }
}

extension FunctionCode {
  /// A scope for a call of `function`: the spare one when there is one, else a new one.
  @inline(__always)
  func callScope(for function: PyFunction) -> Scope {
    guard let scope = spareScope.take() else {
      return Scope(parent: function.closure, layout: layout, declarations: declarations, function: function)
    }
    // Compared first: a spare kept with its links (see `recycle`) usually has these already.
    if scope.parent !== function.closure { scope.parent = function.closure }
    if scope.function !== function { scope.function = function }
    return scope
  }

  /// Keeps a finished call's scope for the next call, unless something (a closure made in the
  /// call and returned, a generator) still refers to it.
  ///
  /// The spare of a module-level function keeps its links to the function and the module,
  /// which live as long as the program anyway: the next call need not set them again. The
  /// interpreter drops those spares when it goes (`dropSpare`), as they make a cycle with the
  /// function. Any other spare lets go of its links, so that it keeps nothing alive.
  @inline(__always)
  func recycle(_ scope: consuming Scope, in interpreter: Interpreter) {
    guard isKnownUniquelyReferenced(&scope) || Self.collectLocalClosures(&scope) else { return }
    scope.unbindSlots()
    if scope.parent === interpreter.globals {
      if !keepsLinks {
        keepsLinks = true
        interpreter.linkedSpares.append(self)
      }
    } else {
      scope.parent = nil
      scope.function = nil
    }
    spareScope = consume scope
  }

  /// Lets go of the spare scope (and the links it kept).
  func dropSpare() {
    spareScope = nil
  }

  /// Whether a finished call's scope is garbage once the functions defined in the call that
  /// only its own locals hold are (`def inner(): …` or `loss = lambda: …`, neither returned
  /// nor stored elsewhere). Each such function refers back to the scope, a cycle reference
  /// counting alone would leak on every call. They are detached from the scope; when that
  /// leaves the scope unreferenced, they are dropped with it, else everything is put back.
  @inline(never)
  private static func collectLocalClosures(_ scope: inout Scope) -> Bool {
    var detached: [(slot: Int, function: PyFunction)] = []
    for slot in 0..<scope.slotCount {
      guard case .function(var function)? = scope.slots[slot], function.closure === scope else { continue }
      scope.slots[slot] = nil
      if isKnownUniquelyReferenced(&function) {
        function.closure = Scope.detached
        detached.append((slot, function))
      } else {
        scope.slots[slot] = .function(function)
      }
    }
    if !detached.isEmpty && isKnownUniquelyReferenced(&scope) { return true }
    for (slot, function) in detached {
      function.closure = scope
      scope.slots[slot] = .function(function)
    }
    return false
  }
}

/// The class a method body belongs to, filled in once the `class` statement has made it
/// (Python's `__class__` cell), for zero-argument `super()`.
final class ClassCell {
  var type: AnyObject?
}
