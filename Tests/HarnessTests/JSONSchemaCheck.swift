import Foundation

/// A parsed JSON value with its kind kept exact (no NSNumber bridging between booleans and
/// numbers).
enum JSONValue: Equatable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  subscript(key: String) -> JSONValue? {
    if case let .object(members) = self { return members[key] }
    return nil
  }

  var array: [JSONValue]? {
    if case let .array(items) = self { return items }
    return nil
  }

  var string: String? {
    if case let .string(text) = self { return text }
    return nil
  }
}

/// A strict JSON parser for test documents.
struct JSONParser {
  struct Failure: Error, CustomStringConvertible {
    var offset: Int
    var message: String
    var description: String { "JSON offset \(offset): \(message)" }
  }

  private let bytes: [UInt8]
  private var position = 0

  static func parse(_ text: String) throws -> JSONValue {
    var parser = JSONParser(bytes: Array(text.utf8))
    let value = try parser.value()
    parser.skipSpace()
    guard parser.position == parser.bytes.count else { throw parser.failure("trailing text") }
    return value
  }

  private init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  private func failure(_ message: String) -> Failure { Failure(offset: position, message: message) }

  private mutating func skipSpace() {
    while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) { position += 1 }
  }

  private mutating func expect(_ literal: String) throws {
    let expected = Array(literal.utf8)
    guard bytes.count >= position + expected.count, Array(bytes[position..<position + expected.count]) == expected
    else { throw failure("expected \(literal)") }
    position += expected.count
  }

  private mutating func value() throws -> JSONValue {
    skipSpace()
    guard position < bytes.count else { throw failure("unexpected end") }
    switch bytes[position] {
    case UInt8(ascii: "{"):
      position += 1
      var members: [String: JSONValue] = [:]
      skipSpace()
      if bytes[position] == UInt8(ascii: "}") {
        position += 1
        return .object(members)
      }
      while true {
        skipSpace()
        let key = try string()
        skipSpace()
        try expect(":")
        guard members[key] == nil else { throw failure("duplicate key \(key)") }
        members[key] = try value()
        skipSpace()
        if bytes[position] == UInt8(ascii: ",") {
          position += 1
          continue
        }
        try expect("}")
        return .object(members)
      }
    case UInt8(ascii: "["):
      position += 1
      var items: [JSONValue] = []
      skipSpace()
      if bytes[position] == UInt8(ascii: "]") {
        position += 1
        return .array(items)
      }
      while true {
        items.append(try value())
        skipSpace()
        if bytes[position] == UInt8(ascii: ",") {
          position += 1
          continue
        }
        try expect("]")
        return .array(items)
      }
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"):
      try expect("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try expect("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try expect("null")
      return .null
    default: return .number(try number())
    }
  }

  private mutating func number() throws -> Double {
    let start = position
    let allowed = Array("+-0123456789.eE".utf8)
    while position < bytes.count, allowed.contains(bytes[position]) { position += 1 }
    let text = String(decoding: bytes[start..<position], as: UTF8.self)
    // JSON's grammar: optional minus, digits without a leading zero, optional fraction and exponent.
    let grammar = #"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$"#
    guard text.range(of: grammar, options: .regularExpression) != nil, let value = Double(text) else {
      throw Failure(offset: start, message: "bad number '\(text)'")
    }
    return value
  }

  private mutating func string() throws -> String {
    try expect("\"")
    var scalars: [UInt8] = []
    while position < bytes.count {
      let byte = bytes[position]
      position += 1
      switch byte {
      case UInt8(ascii: "\""): return String(decoding: scalars, as: UTF8.self)
      case UInt8(ascii: "\\"):
        let escape = bytes[position]
        position += 1
        switch escape {
        case UInt8(ascii: "n"): scalars.append(0x0A)
        case UInt8(ascii: "t"): scalars.append(0x09)
        case UInt8(ascii: "r"): scalars.append(0x0D)
        case UInt8(ascii: "u"):
          let hex = String(decoding: bytes[position..<position + 4], as: UTF8.self)
          position += 4
          guard let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else { throw failure("bad \\u") }
          scalars += Array(String(Character(scalar)).utf8)
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
        default: throw failure("bad escape")
        }
      case 0..<0x20: throw failure("control character in a string")
      default: scalars.append(byte)
      }
    }
    throw failure("unterminated string")
  }
}

/// Checks a document against the subset of JSON Schema that `docs/lockstep-run.schema.json`
/// uses: `type`, `const`, `enum`, `required`, `properties`, `additionalProperties: false`,
/// `items`, `oneOf`, `minimum` and local `$ref`s. Returns one message per violation.
struct JSONSchemaCheck {
  let root: JSONValue

  func violations(of value: JSONValue) -> [String] {
    check(value, against: root, at: "$")
  }

  private func check(_ value: JSONValue, against schema: JSONValue, at path: String) -> [String] {
    if let reference = schema["$ref"]?.string {
      return check(value, against: resolve(reference), at: path)
    }
    var problems: [String] = []
    if let type = schema["type"] {
      let names = type.array?.compactMap(\.string) ?? [type.string].compactMap { $0 }
      if !names.contains(where: { Self.has(value, type: $0) }) {
        problems.append("\(path): expected \(names.joined(separator: " or ")), found \(value)")
        return problems
      }
    }
    if let constant = schema["const"], constant != value {
      problems.append("\(path): expected \(constant), found \(value)")
    }
    if let allowed = schema["enum"]?.array, !allowed.contains(value) {
      problems.append("\(path): \(value) is not one of \(allowed)")
    }
    if case let .number(number) = value, case let .number(minimum)? = schema["minimum"], number < minimum {
      problems.append("\(path): \(number) is below \(minimum)")
    }
    if case let .object(members) = value {
      for case let .string(key) in schema["required"]?.array ?? [] where members[key] == nil {
        problems.append("\(path): missing required key '\(key)'")
      }
      let properties: [String: JSONValue]
      if case let .object(declared)? = schema["properties"] { properties = declared } else { properties = [:] }
      for (key, member) in members.sorted(by: { $0.key < $1.key }) {
        if let property = properties[key] {
          problems += check(member, against: property, at: "\(path).\(key)")
        } else if schema["additionalProperties"] == .bool(false) {
          problems.append("\(path): unexpected key '\(key)'")
        }
      }
    }
    if case let .array(items) = value, let itemSchema = schema["items"] {
      for (index, item) in items.enumerated() {
        problems += check(item, against: itemSchema, at: "\(path)[\(index)]")
      }
    }
    if let alternatives = schema["oneOf"]?.array {
      let matching = alternatives.filter { check(value, against: $0, at: path).isEmpty }.count
      if matching != 1 {
        problems.append("\(path): matches \(matching) of the oneOf alternatives, not exactly one")
      }
    }
    return problems
  }

  private func resolve(_ reference: String) -> JSONValue {
    precondition(reference.hasPrefix("#/"), "only local references are supported")
    var node = root
    for part in reference.dropFirst(2).split(separator: "/") { node = node[String(part)] ?? .null }
    return node
  }

  private static func has(_ value: JSONValue, type: String) -> Bool {
    switch (type, value) {
    case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array),
      ("object", .object):
      true
    case let ("integer", .number(number)): number.rounded() == number
    default: false
    }
  }
}
