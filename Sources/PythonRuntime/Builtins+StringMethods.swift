import Foundation

/// The methods of `str`. They work on Unicode scalars (Python's code points).
extension PyValue {
  /// A `str` argument, or CPython's TypeError naming what was passed.
  static func stringArgument(_ value: PyValue, _ what: String) throws(RuntimeError) -> String {
    guard case let .string(text) = value else {
      let message = "must be str, not \(value.typeName)"
      throw .typeError(what.isEmpty ? message : "\(what) \(message)")
    }
    return text
  }

  /// Python's `str.isspace` characters.
  static func isPythonSpace(_ scalar: Unicode.Scalar) -> Bool {
    scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
  }

  /// `str.<name>`, bound to `text`.
  static func stringMethod(_ text: String, _ name: String) -> BuiltinFunction? {
    func method(_ body: @escaping (Arguments, CallContext) throws(RuntimeError) -> PyValue) -> BuiltinFunction {
      BuiltinFunction(name, body)
    }
    func noArguments(_ transform: @escaping (String) -> PyValue) -> BuiltinFunction {
      method { arguments, _ throws(RuntimeError) in
        _ = try arguments.bind(name, [])
        return transform(text)
      }
    }
    func test(_ predicate: @escaping (Unicode.Scalar) -> Bool) -> BuiltinFunction {
      noArguments { .bool(!$0.isEmpty && $0.unicodeScalars.allSatisfy(predicate)) }
    }
    switch name {
    case "join":
      return method { arguments, context throws(RuntimeError) in
        let iterable = try arguments.bind("join", [.required("iterable")])["iterable"]
        var parts: [String] = []
        var index = 0
        try context.interpreter.forEach(iterable, at: context.location) { item throws(RuntimeError) in
          guard case let .string(part) = item else {
            throw .typeError("sequence item \(index): expected str instance, \(item.typeName) found")
          }
          parts.append(part)
          index += 1
          return true
        }
        return .string(parts.joined(separator: text))
      }
    case "format":
      return method { arguments, context throws(RuntimeError) in
        .string(try Formatting.format(template: text, arguments, context: context))
      }
    case "split", "rsplit":
      return method { arguments, _ throws(RuntimeError) in
        let bound = try arguments.bind(name, [.optional("sep"), .optional("maxsplit", .int(-1))])
        let limit = try intArgument(bound["maxsplit"])
        let parts: [String]
        if case .none = bound["sep"] {
          parts = StringMethods.splitWhitespace(text, limit: limit, fromEnd: name == "rsplit")
        } else {
          let separator = try stringArgument(bound["sep"], "must be str or None, not")
          guard !separator.isEmpty else { throw .valueError("empty separator") }
          parts = StringMethods.split(text, separator, limit: limit, fromEnd: name == "rsplit")
        }
        return .list(PyList(parts.map { .string($0) }))
      }
    case "strip", "lstrip", "rstrip":
      return method { arguments, _ throws(RuntimeError) in
        let characters = try arguments.bind(name, [.optional("chars")])["chars"]
        let strip: (Unicode.Scalar) -> Bool
        if case .none = characters {
          strip = isPythonSpace
        } else {
          let set = Set(try stringArgument(characters, "\(name) arg").unicodeScalars)
          strip = { set.contains($0) }
        }
        var scalars = Array(text.unicodeScalars)[...]
        if name != "rstrip" { while let first = scalars.first, strip(first) { scalars.removeFirst() } }
        if name != "lstrip" { while let last = scalars.last, strip(last) { scalars.removeLast() } }
        return .string(String(String.UnicodeScalarView(scalars)))
      }
    case "startswith", "endswith":
      return method { arguments, _ throws(RuntimeError) in
        let bound = try arguments.bind(name, [.required("prefix"), .optional("start"), .optional("end")])
        let scalars = Array(text.unicodeScalars)
        let range = try bounds(bound["start"], bound["end"], count: scalars.count)
        let window = scalars[range]
        let candidates: [PyValue]
        if case let .tuple(items) = bound["prefix"] { candidates = items } else { candidates = [bound["prefix"]] }
        for candidate in candidates {
          guard case let .string(affix) = candidate else {
            throw .typeError(
              "\(name) first arg must be str or a tuple of str, not \(candidate.typeName)")
          }
          let part = Array(affix.unicodeScalars)
          if name == "startswith" ? window.starts(with: part) : window.reversed().starts(with: part.reversed()) {
            return .bool(true)
          }
        }
        return .bool(false)
      }
    case "replace":
      return method { arguments, _ throws(RuntimeError) in
        let bound = try arguments.bind("replace", [.required("old"), .required("new"), .optional("count", .int(-1))])
        let old = try stringArgument(bound["old"], "replace() argument 1")
        let new = try stringArgument(bound["new"], "replace() argument 2")
        return .string(StringMethods.replace(text, old, new, limit: try intArgument(bound["count"])))
      }
    case "find", "rfind", "index", "rindex", "count":
      return method { arguments, _ throws(RuntimeError) in
        let bound = try arguments.bind(name, [.required("sub"), .optional("start"), .optional("end")])
        let part = Array(try stringArgument(bound["sub"], "").unicodeScalars)
        let scalars = Array(text.unicodeScalars)
        let range = try bounds(bound["start"], bound["end"], count: scalars.count)
        if name == "count" { return .int(StringMethods.occurrences(of: part, in: scalars, range)) }
        let found = StringMethods.find(part, in: scalars, range, fromEnd: name.hasPrefix("r"))
        if found == nil && name.hasSuffix("index") { throw .valueError("substring not found") }
        return .int(found ?? -1)
      }
    case "upper": return noArguments { .string($0.uppercased()) }
    case "lower": return noArguments { .string($0.lowercased()) }
    case "swapcase":
      return noArguments { text in
        .string(text.map { $0.isUppercase ? $0.lowercased() : $0.uppercased() }.joined())
      }
    case "title": return noArguments { .string(StringMethods.title($0)) }
    case "capitalize":
      return noArguments { text in .string(text.prefix(1).uppercased() + text.dropFirst().lowercased()) }
    case "isdigit", "isdecimal", "isnumeric":
      return test { scalar in
        switch scalar.properties.numericType {
        case .decimal?: true
        case .digit?: name != "isdecimal"
        case .numeric?: name == "isnumeric"
        default: false
        }
      }
    case "isalpha": return test { $0.properties.isAlphabetic }
    case "isalnum": return test { $0.properties.isAlphabetic || $0.properties.numericType != nil }
    case "isspace": return test(isPythonSpace)
    case "isupper", "islower":
      return noArguments { text in
        let cased = text.unicodeScalars.filter { $0.properties.changesWhenCaseMapped }
        let upper = name == "isupper"
        return .bool(
          !cased.isEmpty
            && cased.allSatisfy { upper ? !$0.properties.changesWhenUppercased : !$0.properties.changesWhenLowercased })
      }
    case "zfill":
      return method { arguments, _ throws(RuntimeError) in
        let width = try intArgument(try arguments.bind("zfill", [.required("width")])["width"])
        let scalars = Array(text.unicodeScalars)
        guard width > scalars.count else { return .string(text) }
        let zeros = String(repeating: "0", count: width - scalars.count)
        if let first = scalars.first, first == "+" || first == "-" {
          return .string(String(first) + zeros + String(String.UnicodeScalarView(scalars.dropFirst())))
        }
        return .string(zeros + text)
      }
    case "center", "ljust", "rjust":
      return method { arguments, _ throws(RuntimeError) in
        let bound = try arguments.bind(name, [.required("width"), .optional("fillchar", .string(" "))])
        let width = try intArgument(bound["width"])
        guard case let .string(fill) = bound["fillchar"] else {
          throw .typeError("\(name)() argument 2 must be str, not \(bound["fillchar"].typeName)")
        }
        guard fill.unicodeScalars.count == 1 else {
          throw .typeError("The fill character must be exactly one character long")
        }
        let length = text.unicodeScalars.count
        guard width > length else { return .string(text) }
        let margin = width - length
        let left = name == "ljust" ? 0 : name == "rjust" ? margin : margin / 2 + (margin & width & 1)
        return .string(String(repeating: fill, count: left) + text + String(repeating: fill, count: margin - left))
      }
    case "partition", "rpartition":
      return method { arguments, _ throws(RuntimeError) in
        let separator = try stringArgument(try arguments.bind(name, [.required("sep")])["sep"], "")
        guard !separator.isEmpty else { throw .valueError("empty separator") }
        let scalars = Array(text.unicodeScalars)
        let part = Array(separator.unicodeScalars)
        guard let found = StringMethods.find(part, in: scalars, 0..<scalars.count, fromEnd: name == "rpartition")
        else {
          return .tuple(
            name == "partition"
              ? [.string(text), .string(""), .string("")] : [.string(""), .string(""), .string(text)])
        }
        func string(_ slice: ArraySlice<Unicode.Scalar>) -> PyValue { .string(String(String.UnicodeScalarView(slice))) }
        return .tuple([string(scalars[..<found]), .string(separator), string(scalars[(found + part.count)...])])
      }
    case "splitlines":
      return method { arguments, context throws(RuntimeError) in
        let keep = try arguments.bind("splitlines", [.optional("keepends", .bool(false))])["keepends"]
        let keepEnds = try context.interpreter.truthValue(keep, at: context.location)
        return .list(PyList(StringMethods.splitLines(text, keepEnds: keepEnds).map { .string($0) }))
      }
    case "removeprefix", "removesuffix":
      return method { arguments, _ throws(RuntimeError) in
        let affix = try stringArgument(try arguments.bind(name, [.required("affix")])["affix"], "\(name)() argument")
        if name == "removeprefix", text.unicodeScalars.starts(with: affix.unicodeScalars) {
          return .string(String(String.UnicodeScalarView(text.unicodeScalars.dropFirst(affix.unicodeScalars.count))))
        }
        if name == "removesuffix", !affix.isEmpty,
          text.unicodeScalars.reversed().starts(with: affix.unicodeScalars.reversed())
        {
          return .string(String(String.UnicodeScalarView(text.unicodeScalars.dropLast(affix.unicodeScalars.count))))
        }
        return .string(text)
      }
    default: return nil
    }
  }
}

/// The scalar-level algorithms behind `str.split`, `replace`, `find`, `title` and `splitlines`.
enum StringMethods {
  static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String { String(String.UnicodeScalarView(scalars)) }

  /// `str.split()` / `str.rsplit()` without a separator: runs of whitespace separate.
  static func splitWhitespace(_ text: String, limit: Int, fromEnd: Bool) -> [String] {
    var scalars = Array(text.unicodeScalars)
    if fromEnd { scalars.reverse() }
    var parts: [String] = []
    var index = 0
    while index < scalars.count {
      while index < scalars.count && PyValue.isPythonSpace(scalars[index]) { index += 1 }
      guard index < scalars.count else { break }
      if limit >= 0 && parts.count == limit {
        let rest = scalars[index...]
        parts.append(fromEnd ? string(ArraySlice(rest.reversed())) : string(rest))
        break
      }
      let start = index
      while index < scalars.count && !PyValue.isPythonSpace(scalars[index]) { index += 1 }
      let word = scalars[start..<index]
      parts.append(fromEnd ? string(ArraySlice(word.reversed())) : string(word))
    }
    return fromEnd ? parts.reversed() : parts
  }

  /// `str.split(sep)` / `str.rsplit(sep)` with at most `limit` splits (all when negative).
  static func split(_ text: String, _ separator: String, limit: Int, fromEnd: Bool) -> [String] {
    let scalars = Array(text.unicodeScalars)
    let part = Array(separator.unicodeScalars)
    var pieces: [String] = []
    if fromEnd {
      var end = scalars.count
      while limit < 0 || pieces.count < limit, let found = find(part, in: scalars, 0..<end, fromEnd: true) {
        pieces.append(string(scalars[(found + part.count)..<end]))
        end = found
      }
      pieces.append(string(scalars[..<end]))
      return pieces.reversed()
    }
    var start = 0
    while limit < 0 || pieces.count < limit,
      let found = find(part, in: scalars, start..<scalars.count, fromEnd: false)
    {
      pieces.append(string(scalars[start..<found]))
      start = found + part.count
    }
    pieces.append(string(scalars[start...]))
    return pieces
  }

  /// The first (or last) index in `range` where `part` starts, or nil.
  static func find(_ part: [Unicode.Scalar], in scalars: [Unicode.Scalar], _ range: Range<Int>, fromEnd: Bool)
    -> Int?
  {
    guard range.count >= part.count else { return nil }
    let starts = range.lowerBound...(range.upperBound - part.count)
    func matches(_ start: Int) -> Bool { scalars[start..<(start + part.count)].elementsEqual(part) }
    return fromEnd ? starts.reversed().first(where: matches) : starts.first(where: matches)
  }

  /// Non-overlapping occurrences of `part` in `range` (`len(range) + 1` for the empty string).
  static func occurrences(of part: [Unicode.Scalar], in scalars: [Unicode.Scalar], _ range: Range<Int>) -> Int {
    if part.isEmpty { return range.count + 1 }
    var total = 0
    var start = range.lowerBound
    while let found = find(part, in: scalars, start..<range.upperBound, fromEnd: false) {
      total += 1
      start = found + part.count
    }
    return total
  }

  /// `str.replace(old, new, count)`; an empty `old` inserts `new` around every character.
  static func replace(_ text: String, _ old: String, _ new: String, limit: Int) -> String {
    let scalars = Array(text.unicodeScalars)
    var result = ""
    var replaced = 0
    if old.isEmpty {
      for scalar in scalars {
        if limit < 0 || replaced < limit {
          result += new
          replaced += 1
        }
        result.unicodeScalars.append(scalar)
      }
      if limit < 0 || replaced < limit { result += new }
      return result
    }
    let part = Array(old.unicodeScalars)
    var start = 0
    while limit < 0 || replaced < limit, let found = find(part, in: scalars, start..<scalars.count, fromEnd: false) {
      result += string(scalars[start..<found]) + new
      start = found + part.count
      replaced += 1
    }
    return result + string(scalars[start...])
  }

  /// `str.title()`: a cased letter after an uncased character starts a word.
  static func title(_ text: String) -> String {
    var result = ""
    var previousCased = false
    for character in text {
      let cased = character.isCased
      result += cased ? (previousCased ? character.lowercased() : character.uppercased()) : String(character)
      previousCased = cased
    }
    return result
  }

  /// `str.splitlines(keepends)`: `\n`, `\r`, `\r\n` and Python's other line boundaries.
  static func splitLines(_ text: String, keepEnds: Bool) -> [String] {
    let boundaries: Set<UInt32> = [0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029]
    let scalars = Array(text.unicodeScalars)
    var lines: [String] = []
    var start = 0
    var index = 0
    while index < scalars.count {
      guard boundaries.contains(scalars[index].value) else {
        index += 1
        continue
      }
      var end = index + 1
      if scalars[index] == "\r" && end < scalars.count && scalars[end] == "\n" { end += 1 }
      lines.append(string(scalars[start..<(keepEnds ? end : index)]))
      start = end
      index = end
    }
    if start < scalars.count { lines.append(string(scalars[start...])) }
    return lines
  }
}
