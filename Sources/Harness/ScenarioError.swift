/// A scenario file that cannot be used: bad YAML, a missing or unknown key, a wrong type.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The scenario file.
  public var path: String
  /// 1-based line in the file, when known.
  public var line: Int?
  /// 1-based column, when known.
  public var column: Int?
  /// What is wrong.
  public var message: String
  /// The file's line at `line`, shown under the message with a caret at `column`.
  public var sourceLine: String?

  /// Makes an error.
  public init(path: String, line: Int? = nil, column: Int? = nil, _ message: String) {
    self.path = path
    self.line = line
    self.column = column
    self.message = message
  }

  /// `path:line:col: error: message`.
  public var description: String {
    var location = path
    if let line { location += ":\(line)" }
    if let column { location += ":\(column)" }
    return "\(location): error: \(message)"
  }

  /// The description, then the source line and a caret under the column when both are known.
  public var rendered: String {
    guard let sourceLine, let column else { return description }
    return "\(description)\n\(sourceLine)\n\(String(repeating: " ", count: max(0, column - 1)))^"
  }
}
