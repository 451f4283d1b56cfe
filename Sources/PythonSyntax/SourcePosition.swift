/// A 1-based line and column in the text a program was parsed from.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The 1-based line.
  public var line: Int
  /// The 1-based column, counted in characters.
  public var column: Int

  /// Makes a location.
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  public static func < (a: Self, b: Self) -> Bool {
    (a.line, a.column) < (b.line, b.column)
  }

  public var description: String { "\(line):\(column)" }
}

/// Where a program's text sits inside the file it came from, so that every location can be
/// reported as `path:line:col` in that file.
public struct SourceFile: Sendable, Hashable {
  /// The path of the file, as the user named it.
  public var path: String
  /// The program text.
  public var text: String
  /// The file line of the program's first line, minus one.
  public var lineOffset: Int
  /// The number of columns of indentation the file adds in front of each program line.
  public var columnOffset: Int

  /// Describes a program that starts at `firstLine` of `path`, indented by `indent` columns.
  public init(path: String, text: String, firstLine: Int = 1, indent: Int = 0) {
    self.path = path
    self.text = text
    self.lineOffset = firstLine - 1
    self.columnOffset = indent
  }

  /// A location in the program mapped into the file.
  public func fileLocation(_ location: SourcePosition) -> SourcePosition {
    SourcePosition(line: location.line + lineOffset, column: location.column + columnOffset)
  }

  /// The program line at a location, without its newline (empty when out of range).
  public func sourceLine(_ location: SourcePosition) -> String {
    var current = 1
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if current == location.line { return String(line) }
      current += 1
    }
    return ""
  }
}

/// An error located in a program: its message, where it happened, and the offending line.
public protocol LocatedError: Error {
  /// The one-line description, without location.
  var message: String { get }
  /// Where in the program text it happened, if known.
  var location: SourcePosition? { get }
}

extension LocatedError {
  /// `path:line:col: error: message`, followed by the source line and a caret under the column.
  public func rendered(in file: SourceFile) -> String {
    guard let location else { return "\(file.path): error: \(message)" }
    let at = file.fileLocation(location)
    let line = file.sourceLine(location)
    let indent = String(repeating: " ", count: file.columnOffset)
    let caret = String(repeating: " ", count: max(0, at.column - 1)) + "^"
    return "\(file.path):\(at): error: \(message)\n\(indent)\(line)\n\(caret)"
  }
}
