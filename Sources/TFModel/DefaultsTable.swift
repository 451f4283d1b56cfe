import Foundation
import PythonRuntime
import TensorCore

/// The profile table of defaults (`Resources/defaults.txt`): API → parameter → profile →
/// default value, and whether the default changes numbers. Signatures in the code name
/// parameters only; every default comes from here, so the table is what `lockstep defaults`
/// prints and what reports explain differences with.
public struct DefaultsTable: Sendable {
  /// A default value, as the table writes it.
  public enum Value: Sendable, Equatable, CustomStringConvertible {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    /// A TensorFlow dtype (`tf.float32`).
    case dtype(DType)
    /// A list of ints (`[1, 1, 1, 1]`), written without spaces in the table: `[1,1,1,1]`.
    case ints([Int])

    /// Python's spelling of the value (`None`, `1e-07`, `'adam'`, `tf.float32`).
    public var description: String {
      switch self {
      case .none: "None"
      case let .bool(value): value ? "True" : "False"
      case let .int(value): String(value)
      case let .float(value): PyValue.float(value).repr
      case let .string(value): "'\(value)'"
      case let .dtype(dtype): "tf.\(dtype.name)"
      case let .ints(values): "[" + values.map(String.init).joined(separator: ", ") + "]"
      }
    }
  }

  /// One parameter of one API.
  public struct Entry: Sendable {
    /// The API's spellings (`tf.reduce_sum`, `tf.math.reduce_sum`).
    public let apis: [String]
    /// The parameter (`keepdims`).
    public let parameter: String
    /// Whether relying on the default changes numbers (reports list such defaults).
    public let changesNumbers: Bool
    /// `(profiles, value)` in table order; nil profiles mean every profile.
    let values: [(profiles: [String]?, value: Value)]

    /// The default under `profile` (the last entry naming it wins), or nil when the
    /// parameter has none there.
    public func value(for profile: Profile) -> Value? {
      values.last { $0.profiles == nil || $0.profiles!.contains(profile.version) }?.value
    }
  }

  /// Every entry, in file order.
  public let entries: [Entry]
  private let index: [String: [String: Int]]

  /// The bundled table.
  public static let bundled: DefaultsTable = {
    guard let url = Bundle.module.url(forResource: "defaults", withExtension: "txt"),
      let text = try? String(contentsOf: url, encoding: .utf8)
    else {
      preconditionFailure("the bundled profile table Resources/defaults.txt is missing")
    }
    do {
      return try DefaultsTable(text: text)
    } catch {
      preconditionFailure("Resources/defaults.txt: \(error)")
    }
  }()

  /// Parses a table.
  init(text: String) throws(TableError) {
    var entries: [Entry] = []
    var index: [String: [String: Int]] = [:]
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    where !line.hasPrefix("#") && !line.isEmpty {
      let fields = line.split(separator: "\t").map(String.init)
      guard fields.count == 4, ["numeric", "other"].contains(fields[2]) else {
        throw TableError(
          line: number + 1, message: "expected APIS, PARAMETER, numeric|other and DEFAULTS separated by tabs")
      }
      var values: [(profiles: [String]?, value: Value)] = []
      for item in fields[3].split(separator: " ") {
        guard let equals = item.firstIndex(of: "="), let value = Self.parse(String(item[item.index(after: equals)...]))
        else {
          throw TableError(line: number + 1, message: "bad default '\(item)'")
        }
        let profiles = item[..<equals]
        values.append((profiles == "*" ? nil : profiles.split(separator: ",").map(String.init), value))
      }
      let entry = Entry(
        apis: fields[0].split(separator: ",").map(String.init), parameter: fields[1],
        changesNumbers: fields[2] == "numeric", values: values)
      for api in entry.apis {
        guard index[api, default: [:]][entry.parameter] == nil else {
          throw TableError(line: number + 1, message: "\(api) \(entry.parameter) is listed twice")
        }
        index[api, default: [:]][entry.parameter] = entries.count
      }
      entries.append(entry)
    }
    self.entries = entries
    self.index = index
  }

  /// The entry for a parameter of an API, or nil when the table has none (a parameter
  /// whose default is None and changes nothing).
  public func entry(api: String, parameter: String) -> Entry? {
    index[api]?[parameter].map { entries[$0] }
  }

  /// A value as the table writes it, or nil when it is not one.
  private static func parse(_ text: String) -> Value? {
    switch text {
    case "None": return Value.none
    case "True": return .bool(true)
    case "False": return .bool(false)
    default: break
    }
    if text.count >= 2, text.hasPrefix("'"), text.hasSuffix("'") { return .string(String(text.dropFirst().dropLast())) }
    if text.hasPrefix("tf."), let dtype = DType(rawValue: String(text.dropFirst(3))) { return .dtype(dtype) }
    if text == "[]" { return .ints([]) }
    if text.hasPrefix("["), text.hasSuffix("]") {
      let items = text.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
      let values = items.compactMap { Int($0) }
      return values.count == items.count ? .ints(values) : nil
    }
    if let int = Int(text) { return .int(int) }
    if let double = Double(text) { return .float(double) }
    return nil
  }

  /// A malformed line of the table.
  struct TableError: Error, CustomStringConvertible {
    let line: Int
    let message: String
    var description: String { "line \(line): \(message)" }
  }
}

extension TFRuntime {
  /// `parameters` with their defaults under this runtime's profile (see
  /// `DefaultsTable.signature`).
  func resolvedSignature(_ api: String, _ parameters: [Arguments.Parameter]) -> (
    signature: [Arguments.Parameter], reported: Set<String>
  ) {
    DefaultsTable.bundled.signature(api, parameters, profile: profile)
  }
}

extension DefaultsTable {
  /// `parameters` with their defaults under `profile` from the table, and the names of those
  /// whose defaults change numbers. Parameters the table does not list default to None; the
  /// code gives no default values of its own. (NumPy's defaults do not depend on the TF
  /// version: their entries hold for every profile.)
  func signature(
    _ api: String, _ parameters: [Arguments.Parameter], profile: Profile = .newest
  ) -> (signature: [Arguments.Parameter], reported: Set<String>) {
    var reported: Set<String> = []
    let signature = parameters.map { parameter -> Arguments.Parameter in
      guard let given = parameter.defaultValue else { return parameter }
      guard case .none = given else {
        preconditionFailure("\(api): the default of \(parameter.name) belongs in the profile table")
      }
      guard let entry = entry(api: api, parameter: parameter.name) else { return parameter }
      if entry.changesNumbers { reported.insert(parameter.name) }
      guard let value = entry.value(for: profile) else { return parameter }
      return .optional(parameter.name, Self.pythonValue(value))
    }
    return (signature, reported)
  }

  /// A table value as the program sees it.
  static func pythonValue(_ value: Value) -> PyValue {
    switch value {
    case .none: .none
    case let .bool(value): .bool(value)
    case let .int(value): .int(value)
    case let .float(value): .float(value)
    case let .string(value): .string(value)
    case let .dtype(dtype): .object(TFDType(dtype))
    case let .ints(values): .list(PyList(values.map { .int($0) }))
    }
  }
}
