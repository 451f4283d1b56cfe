/// An expression with the range of text it came from.
public struct Expr: Sendable, Equatable {
  /// The expression's form.
  public indirect enum Kind: Sendable, Equatable {
    case name(String)
    case int(Int)
    case float(Double)
    case string(String)
    /// An f-string: literal text and formatted fields.
    case formatted([FormattedPart])
    case bool(Bool)
    case none
    case list([Expr])
    case tuple([Expr])
    /// `{a, b}`: a set display (never empty: `{}` is a dict).
    case set([Expr])
    case dict([DictEntry])
    /// `*value` inside a display, an expression list or an assignment target.
    case starred(Expr)
    /// `name := value`, an assignment expression.
    case named(String, Expr)
    case attribute(Expr, String)
    case `subscript`(Expr, Expr)
    /// `lower:upper:step` inside a subscript.
    case slice(lower: Expr?, upper: Expr?, step: Expr?)
    case call(Expr, [Argument])
    case binary(BinaryOperator, Expr, Expr)
    case unary(UnaryOperator, Expr)
    /// A comparison chain such as `a < b <= c`.
    case compare(Expr, [Comparison])
    case and(Expr, Expr)
    case or(Expr, Expr)
    case conditional(test: Expr, body: Expr, orElse: Expr)
    case lambda([Parameter], Expr)
    /// `[element for … in … if …]`, `{element for …}`, `(element for …)` (a lazy
    /// generator), and `{key: value for …}` (with `value` set).
    case comprehension(ComprehensionKind, element: Expr, value: Expr?, clauses: [ComprehensionClause])
    /// `yield value` (a statement, or the value of an assignment).
    case yield(Expr?)
    /// `yield from iterable`.
    case yieldFrom(Expr)
  }

  /// The expression's form.
  public var kind: Kind
  /// Where it starts.
  public var start: SourcePosition

  /// Makes an expression.
  public init(_ kind: Kind, at start: SourcePosition) {
    self.kind = kind
    self.start = start
  }
}

/// A piece of an f-string expression.
public enum FormattedPart: Sendable, Equatable {
  case literal(String)
  /// `{value!conversion:spec}`.
  case field(Expr, conversion: Character?, spec: String)
}

/// What a comprehension builds.
public enum ComprehensionKind: String, Sendable, Equatable {
  case list, set, generator, dict
}

/// A `for target in iterable` or `if condition` clause of a comprehension.
public enum ComprehensionClause: Sendable, Equatable {
  case `for`(target: Expr, iterable: Expr)
  case `if`(Expr)
}

/// `except [type [as name]]:` and its block.
public struct ExceptHandler: Sendable, Equatable {
  /// The exception class or tuple of classes matched; nil for a bare `except:`.
  public var type: Expr?
  /// The name the exception is bound to.
  public var name: String?
  /// The handler's block.
  public var body: [Stmt]
  /// Where the `except` keyword is.
  public var start: SourcePosition
}

/// One link of a comparison chain: the operator and its right operand.
public struct Comparison: Sendable, Equatable {
  /// The comparison operator.
  public var op: CompareOperator
  /// The right operand.
  public var rhs: Expr
}

/// One `context as target` of a `with` statement.
public struct WithItem: Sendable, Equatable {
  /// The context manager expression.
  public var context: Expr
  /// The `as` target, if any.
  public var target: Expr?
}

/// A `key: value` entry of a dict display, or a `**mapping` unpacked into it.
public struct DictEntry: Sendable, Equatable {
  /// The key expression; nil for `**value`.
  public var key: Expr?
  /// The value expression, or the mapping unpacked.
  public var value: Expr
}

/// An argument of a call: positional, `name=value`, `*iterable` or `**mapping`.
public struct Argument: Sendable, Equatable {
  /// Whether the argument is unpacked into several.
  public enum Unpacking: Sendable, Equatable {
    case none
    /// `*iterable`: its items are positional arguments.
    case iterable
    /// `**mapping`: its entries are keyword arguments.
    case mapping
  }

  /// The keyword, or nil for a positional or unpacked argument.
  public var keyword: String?
  /// The value passed.
  public var value: Expr
  /// How the value is unpacked.
  public var unpacking: Unpacking = .none
}

/// A parameter of a `def` or `lambda`, with its default value if any.
public struct Parameter: Sendable, Equatable {
  /// How arguments reach a parameter.
  public enum Kind: Sendable, Equatable {
    /// Before a `/`: by position only.
    case positionalOnly
    /// By position or keyword.
    case normal
    /// `*args`: the surplus positional arguments, as a tuple.
    case varPositional
    /// After `*` or `*args`: by keyword only.
    case keywordOnly
    /// `**kwargs`: the surplus keyword arguments, as a dict.
    case varKeyword
  }

  /// The parameter name.
  public var name: String
  /// The default value, if any.
  public var defaultValue: Expr?
  /// How arguments reach it.
  public var kind: Kind = .normal
}

/// Binary arithmetic operators.
public enum BinaryOperator: String, Sendable, Equatable {
  case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//"
  case modulo = "%", power = "**", matmul = "@"
  case bitOr = "|", bitXor = "^", bitAnd = "&", leftShift = "<<", rightShift = ">>"
}

/// Unary operators.
public enum UnaryOperator: String, Sendable, Equatable {
  case negate = "-", plus = "+", not = "not", invert = "~"
}

/// Comparison operators.
public enum CompareOperator: String, Sendable, Equatable {
  case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">"
  case greaterEqual = ">=", `in` = "in", notIn = "not in", `is` = "is", isNot = "is not"
}

/// One `name` or `name as alias` of an import.
public struct ImportName: Sendable, Equatable {
  /// The dotted name imported.
  public var name: String
  /// The name it is bound to, if given.
  public var alias: String?
}

/// A statement with the location it starts at.
public struct Stmt: Sendable, Equatable {
  /// The statement's form.
  public indirect enum Kind: Sendable, Equatable {
    case expression(Expr)
    /// `a = b = value`; each target may be a name, attribute, subscript or tuple/list.
    case assign(targets: [Expr], value: Expr)
    case augmentedAssign(target: Expr, op: BinaryOperator, value: Expr)
    /// `target: annotation` or `target: annotation = value`.
    case annotatedAssign(target: Expr, annotation: Expr, value: Expr?)
    case `import`([ImportName])
    case fromImport(module: String, names: [ImportName])
    case with(items: [WithItem], body: [Stmt])
    case `for`(target: Expr, iterable: Expr, body: [Stmt], orElse: [Stmt])
    case `while`(test: Expr, body: [Stmt], orElse: [Stmt])
    case `if`(test: Expr, body: [Stmt], orElse: [Stmt])
    /// `@decorators def name(parameters): body`; decorators listed top to bottom.
    case functionDef(name: String, parameters: [Parameter], body: [Stmt], decorators: [Expr])
    /// `@decorators class name(bases): body`; `bases` may hold keywords (`metaclass=`).
    case classDef(name: String, bases: [Argument], body: [Stmt], decorators: [Expr])
    /// `global names`.
    case global([String])
    /// `nonlocal names`.
    case nonlocal([String])
    case `return`(Expr?)
    case pass
    case `break`
    case `continue`
    /// `try` with its `except` handlers, `else` and `finally` blocks.
    case `try`(body: [Stmt], handlers: [ExceptHandler], orElse: [Stmt], finally: [Stmt])
    /// `raise`, `raise value`, `raise value from cause`.
    case raise(Expr?, cause: Expr?)
    /// `assert test, message`.
    case assert(test: Expr, message: Expr?)
    /// `del targets`: names, attributes, subscripts, and tuples or lists of them.
    case delete([Expr])
  }

  /// The statement's form.
  public var kind: Kind
  /// Where it starts.
  public var start: SourcePosition

  /// Makes a statement.
  public init(_ kind: Kind, at start: SourcePosition) {
    self.kind = kind
    self.start = start
  }
}
