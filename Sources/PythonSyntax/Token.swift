/// A lexical token of the Python subset.
public struct Token: Sendable, Equatable {
  /// What kind of token this is.
  public enum Kind: Sendable, Equatable {
    case name(String)
    case keyword(String)
    case int(Int)
    case float(Double)
    case string(String)
    /// An f-string: literal text and replacement fields, in order.
    case formatString([FormatStringPart])
    /// An operator or delimiter such as `+`, `**=`, `(`, `:`.
    case op(String)
    case newline
    case indent
    case dedent
    case endOfFile
  }

  /// The kind and payload.
  public var kind: Kind
  /// Where the token starts.
  public var start: SourcePosition
  /// Just past where the token ends.
  public var end: SourcePosition

  /// A short description for error messages.
  public var describedForError: String {
    switch kind {
    case let .name(n): "'\(n)'"
    case let .keyword(k): "'\(k)'"
    case let .int(i): "'\(i)'"
    case let .float(f): "'\(f)'"
    case .string, .formatString: "string"
    case let .op(o): "'\(o)'"
    case .newline: "end of line"
    case .indent: "indent"
    case .dedent: "dedent"
    case .endOfFile: "end of input"
    }
  }
}

/// A piece of an f-string as the lexer splits it.
public enum FormatStringPart: Sendable, Equatable {
  /// Text, with escapes and `{{`/`}}` resolved.
  case literal(String)
  /// `{expression!conversion:spec}`: the expression's source and where it starts.
  case field(source: String, at: SourcePosition, conversion: Character?, spec: String)
}

/// Python's reserved words.
let pythonKeywords: Set<String> = [
  "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
  "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
  "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
  "try", "while", "with", "yield",
]
