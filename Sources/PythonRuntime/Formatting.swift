import Foundation

/// Python's format-spec mini-language (`format(value, spec)`, f-string fields,
/// `str.format`) and printf-style `%` formatting, for ints, floats, bools and strings.
/// Objects format through `PyObject.formatted(spec:context:)`.
enum Formatting {
  /// A parsed `[[fill]align][sign][#][0][width][grouping][.precision][type]`.
  struct Spec {
    var fill: Character = " "
    var align: Character?
    var sign: Character = "-"
    var alternate = false
    var width = 0
    var grouping: Character?
    var precision: Int?
    var type: Character?

    init(_ text: String) throws(RuntimeError) {
      var chars = Array(text)[...]
      if chars.count >= 2, "<>=^".contains(chars[chars.startIndex + 1]) {
        fill = chars.removeFirst()
        align = chars.removeFirst()
      } else if let first = chars.first, "<>=^".contains(first) {
        align = chars.removeFirst()
      }
      if let first = chars.first, "+- ".contains(first) { sign = chars.removeFirst() }
      if chars.first == "z" { throw .unsupported("the 'z' format option") }
      if chars.first == "#" {
        alternate = true
        chars.removeFirst()
      }
      if chars.first == "0" {
        if align == nil {
          fill = "0"
          align = "="
        }
        chars.removeFirst()
      }
      var digits = ""
      while let c = chars.first, c.isNumber {
        digits.append(c)
        chars.removeFirst()
      }
      width = Int(digits) ?? 0
      if let c = chars.first, c == "," || c == "_" {
        grouping = c
        chars.removeFirst()
      }
      if chars.first == "." {
        chars.removeFirst()
        var precisionDigits = ""
        while let c = chars.first, c.isNumber {
          precisionDigits.append(c)
          chars.removeFirst()
        }
        guard let value = Int(precisionDigits) else { throw .valueError("Format specifier missing precision") }
        precision = value
      }
      if let c = chars.first {
        type = c
        chars.removeFirst()
      }
      guard chars.isEmpty else { throw .valueError("Invalid format specifier '\(text)'") }
    }
  }

  /// `format(value, spec)` for Python's own scalar types and strings.
  static func format(_ value: PyValue, spec text: String, context: CallContext) throws(RuntimeError) -> String {
    if case let .object(object) = value { return try object.formatted(spec: text, context: context) }
    if text.isEmpty { return value.str }
    let spec = try Spec(text)
    switch value {
    case let .string(string):
      guard spec.type == nil || spec.type == "s" else {
        throw .valueError("Unknown format code '\(spec.type!)' for object of type 'str'")
      }
      let clipped = spec.precision.map { String(string.prefix($0)) } ?? string
      return pad(clipped, spec, defaultAlign: "<")
    case let .int(i):
      return try formatInteger(i, spec)
    case let .bool(b):
      return spec.type == nil ? pad(b ? "True" : "False", spec, defaultAlign: "<") : try formatInteger(b ? 1 : 0, spec)
    case let .float(f):
      return try formatFloat(f, spec)
    default:
      throw .typeError("unsupported format string passed to \(value.typeName).__format__")
    }
  }

  private static func formatInteger(_ value: Int, _ spec: Spec) throws(RuntimeError) -> String {
    switch spec.type {
    case nil, "d", "n":
      guard spec.precision == nil else { throw .valueError("Precision not allowed in integer format specifier") }
      return finishNumber(grouped(String(value.magnitude), spec.grouping, every: 3), negative: value < 0, spec)
    case "x", "X", "o", "b":
      let radix = spec.type == "o" ? 8 : spec.type == "b" ? 2 : 16
      var digits = String(value.magnitude, radix: radix, uppercase: spec.type == "X")
      digits = grouped(digits, spec.grouping, every: 4)
      if spec.alternate { digits = "0" + (spec.type == "X" ? "X" : String(spec.type!)) + digits }
      return finishNumber(digits, negative: value < 0, spec)
    case "c":
      guard let scalar = Unicode.Scalar(UInt32(clamping: value)) else {
        throw .exception("OverflowError", "%c arg not in range(0x110000)")
      }
      return pad(String(Character(scalar)), spec, defaultAlign: "<")
    case "e", "E", "f", "F", "g", "G", "%":
      return try formatFloat(Double(value), spec)
    default:
      throw .valueError("Unknown format code '\(spec.type!)' for object of type 'int'")
    }
  }

  private static func formatFloat(_ value: Double, _ spec: Spec) throws(RuntimeError) -> String {
    let upper = spec.type.map { $0.isUppercase } ?? false
    var body: String
    if value.isNaN || value.isInfinite {
      body = value.isNaN ? "nan" : "inf"
      if spec.type == "%" { body += "%" }
    } else {
      let magnitude = Swift.abs(value)
      switch spec.type {
      case "f", "F":
        body = String(format: "%\(spec.alternate ? "#" : "").\(spec.precision ?? 6)f", magnitude)
      case "e", "E":
        body = String(format: "%\(spec.alternate ? "#" : "").\(spec.precision ?? 6)e", magnitude)
      case "g", "G":
        body = String(format: "%\(spec.alternate ? "#" : "").\(spec.precision ?? 6)g", magnitude)
      case "%":
        body = String(format: "%.\(spec.precision ?? 6)f", magnitude * 100) + "%"
      case nil:
        if let precision = spec.precision {
          body = String(format: "%.\(max(precision, 1))g", magnitude)
          if !body.contains(".") && !body.contains("e") { body += ".0" }
        } else {
          body = PyValue.pythonFloatRepr(magnitude)
        }
      default:
        throw .valueError("Unknown format code '\(spec.type!)' for object of type 'float'")
      }
      if let grouping = spec.grouping {
        let integerEnd = body.firstIndex { !$0.isNumber } ?? body.endIndex
        body = grouped(String(body[..<integerEnd]), grouping, every: 3) + body[integerEnd...]
      }
    }
    if upper { body = body.uppercased() }
    return finishNumber(body, negative: value.sign == .minus && !value.isNaN, spec)
  }

  private static func grouped(_ digits: String, _ separator: Character?, every count: Int) -> String {
    guard let separator else { return digits }
    var result = ""
    for (index, digit) in digits.reversed().enumerated() {
      if index > 0 && index % count == 0 { result.append(separator) }
      result.append(digit)
    }
    return String(result.reversed())
  }

  private static func finishNumber(_ digits: String, negative: Bool, _ spec: Spec) -> String {
    let sign = negative ? "-" : spec.sign == "+" ? "+" : spec.sign == " " ? " " : ""
    if (spec.align ?? ">") == "=" {
      let padding = max(0, spec.width - sign.count - digits.count)
      return sign + String(repeating: spec.fill, count: padding) + digits
    }
    return pad(sign + digits, spec, defaultAlign: ">")
  }

  private static func pad(_ text: String, _ spec: Spec, defaultAlign: Character) -> String {
    let padding = max(0, spec.width - text.count)
    guard padding > 0 else { return text }
    switch spec.align ?? defaultAlign {
    case "<": return text + String(repeating: spec.fill, count: padding)
    case "^":
      let left = padding / 2
      return String(repeating: spec.fill, count: left) + text + String(repeating: spec.fill, count: padding - left)
    default: return String(repeating: spec.fill, count: padding) + text
    }
  }

  /// Applies an f-string or `str.format` conversion (`!r`, `!s`, `!a`).
  static func converted(_ value: PyValue, _ conversion: Character?) -> PyValue {
    switch conversion {
    case "r"?, "a"?: .string(value.repr)
    case "s"?: .string(value.str)
    default: value
    }
  }

  /// `template.format(*args, **kwargs)`.
  static func format(template: String, _ arguments: Arguments, context: CallContext) throws(RuntimeError) -> String {
    var result = ""
    var chars = Array(template)[...]
    var nextIndex = 0
    var manual = false
    while let c = chars.popFirst() {
      if c == "}" {
        guard chars.popFirst() == "}" else { throw .valueError("Single '}' encountered in format string") }
        result.append("}")
        continue
      }
      guard c == "{" else { result.append(c); continue }
      if chars.first == "{" {
        chars.removeFirst()
        result.append("{")
        continue
      }
      var field = ""
      var depth = 0
      while let d = chars.popFirst() {
        if d == "{" { depth += 1 }
        if d == "}" {
          if depth == 0 { break }
          depth -= 1
        }
        field.append(d)
      }
      if depth > 0 || field.contains("{") { throw .unsupported("nested fields in str.format specs") }
      var name = field
      var spec = ""
      var conversion: Character?
      if let colon = name.firstIndex(of: ":") {
        spec = String(name[name.index(after: colon)...])
        name = String(name[..<colon])
      }
      if let bang = name.firstIndex(of: "!") {
        conversion = name[name.index(after: bang)...].first
        name = String(name[..<bang])
      }
      if name.contains(".") || name.contains("[") {
        throw .unsupported("attribute and index lookups in str.format fields")
      }
      let value: PyValue
      if name.isEmpty {
        guard !manual else {
          throw .valueError("cannot switch from manual field specification to automatic field numbering")
        }
        guard nextIndex < arguments.positional.count else {
          throw .exception("IndexError", "Replacement index \(nextIndex) out of range for positional args tuple")
        }
        value = arguments.positional[nextIndex]
        nextIndex += 1
      } else if let index = Int(name) {
        manual = true
        guard index < arguments.positional.count else {
          throw .exception("IndexError", "Replacement index \(index) out of range for positional args tuple")
        }
        value = arguments.positional[index]
      } else {
        guard let keyword = arguments.keywords.first(where: { $0.name == name }) else {
          throw .exception("KeyError", "'\(name)'")
        }
        value = keyword.value
      }
      result += try format(converted(value, conversion), spec: spec, context: context)
    }
    return result
  }

  /// `template % values`, printf-style.
  static func percent(_ template: String, _ values: PyValue, context: CallContext) throws(RuntimeError) -> String {
    var arguments: [PyValue]
    if case let .tuple(items) = values { arguments = items } else { arguments = [values] }
    // A dict is the mapping `%(key)s` fields take their values from (and, as CPython has it,
    // the single argument of a field without a key).
    // CPython's test is PyMapping_Check: anything with __getitem__ but a tuple or a str, so a
    // list passes it too (its keyed fields then fail as list indices do).
    var mapping: PyValue?
    switch values {
    case .dict, .list, .object(is PyRange): mapping = values
    case let .object(instance as PyInstance) where instance.cls.lookupDefined("__getitem__") != nil: mapping = values
    default: break
    }
    var result = ""
    var chars = Array(template)[...]
    while let c = chars.popFirst() {
      guard c == "%" else { result.append(c); continue }
      var keyed: PyValue?
      if chars.first == "(" {
        guard let mapping else { throw .typeError("format requires a mapping") }
        chars.removeFirst()
        var (key, depth) = ("", 1)
        while let k = chars.popFirst() {
          if k == "(" { depth += 1 } else if k == ")" { depth -= 1 }
          if depth == 0 { break }
          key.append(k)
        }
        guard depth == 0 else { throw .valueError("incomplete format key") }
        keyed = try context.interpreter.item(mapping, .string(key), at: context.location)
        // As in CPython, the keyed value replaces the arguments: a later field without a key
        // finds none left.
        arguments.removeAll()
      }
      var flags = ""
      while let f = chars.first, "-+ #0".contains(f) { flags.append(chars.removeFirst()) }
      var width = ""
      while let d = chars.first, d.isNumber { width.append(chars.removeFirst()) }
      var precision: String?
      if chars.first == "." {
        chars.removeFirst()
        precision = ""
        while let d = chars.first, d.isNumber { precision!.append(chars.removeFirst()) }
      }
      if chars.first == "*" { throw .unsupported("'*' widths in %-formatting") }
      guard let type = chars.popFirst() else { throw .valueError("incomplete format") }
      if type == "%" {
        result.append("%")
        continue
      }
      let argument: PyValue
      if let keyed {
        argument = keyed
      } else {
        guard !arguments.isEmpty else { throw .typeError("not enough arguments for format string") }
        argument = arguments.removeFirst()
      }
      var spec = ""
      if flags.contains("-") {
        spec += "<"
      } else if flags.contains("0") && "diouxXeEfFgG".contains(type) {
        spec += "0"
      }
      if flags.contains("+") { spec += "+" } else if flags.contains(" ") { spec += " " }
      if flags.contains("#") { spec += "#" }
      spec += width
      if let precision { spec += "." + (precision.isEmpty ? "0" : precision) }
      switch type {
      case "s", "r", "a":
        let text = type == "s" ? argument.str : argument.repr
        result += try format(.string(text), spec: spec.replacingOccurrences(of: "0", with: ""), context: context)
      case "d", "i", "u":
        let number = try numeric(argument, context: context)
        result += try format(
          .int(try PyValue.integer(truncating: number)), spec: spec.filter { $0 != "." }, context: context)
      case "x", "X", "o", "e", "E", "f", "F", "g", "G":
        let number = try numeric(argument, context: context)
        let value: PyValue = "xXo".contains(type) ? .int(try PyValue.integer(truncating: number)) : .float(number)
        result += try format(value, spec: spec + String(type), context: context)
      default:
        throw .valueError("unsupported format character '\(type)'")
      }
    }
    guard arguments.isEmpty || mapping != nil else {
      throw .typeError("not all arguments converted during string formatting")
    }
    return result
  }

  private static func numeric(_ value: PyValue, context: CallContext) throws(RuntimeError) -> Double {
    try Native.real(value, context)
  }
}

extension PyValue {
  /// `format(value, spec)`.
  public static func format(_ value: PyValue, spec: String, context: CallContext) throws(RuntimeError) -> String {
    try Formatting.format(value, spec: spec, context: context)
  }
}
