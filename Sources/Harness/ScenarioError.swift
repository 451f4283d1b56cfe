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
}
