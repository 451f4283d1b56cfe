import TFModel
import TensorCore

/// The baseline text format: line-oriented, reviewable in a diff, and exact — every float is
/// written with the shortest digits that parse back to the same bits.
///
/// ```
/// # Lockstep baseline …
/// format 1
/// lockstep 0.1.0
/// scenario-sha256 3f2a…
/// profile 2.21
/// verdict equivalent
///
/// v1 output z float32 (3,)
///   5.0 7.0 9.0
/// v2 error ValueError "Argument `output` …"
/// ```
public enum BaselineFormat {
  static let valuesPerLine = 8

  /// Serializes a baseline.
  public static func write(_ baseline: Baseline, scenarioID: String) -> String {
    var lines = [
      "# Lockstep baseline for \(scenarioID): what the scenario computed when it was recorded.",
      "# Refresh it with `lockstep baseline update \(scenarioID)` and review the diff like code.",
      "format \(Baseline.formatVersion)",
      "lockstep \(baseline.lockstepVersion)",
      "scenario-sha256 \(baseline.scenarioHash)",
      "profile \(baseline.profile)",
      "verdict \(baseline.verdict.rawValue)",
    ]
    for (side, outcome) in [("v1", baseline.v1), ("v2", baseline.v2)] {
      lines.append("")
      switch outcome {
      case let .error(type, message):
        lines.append("\(side) error \(type) \(quoted(message))")
      case let .outputs(outputs):
        if outputs.isEmpty { lines.append("\(side) outputs none") }
        for output in outputs {
          switch output.value {
          case let .text(text):
            lines.append("\(side) output \(output.name) text \(quoted(text))")
          case let .tensor(tensor):
            lines.append(
              "\(side) output \(output.name) \(tensor.dtype.name) "
                + "\(Shape.pythonTuple(tensor.shape).replacingOccurrences(of: " ", with: ""))"
            )
            let values = (0..<tensor.scalarCount).map { element(tensor, $0) }
            for start in stride(from: 0, to: values.count, by: valuesPerLine) {
              lines.append("  " + values[start..<min(start + valuesPerLine, values.count)].joined(separator: " "))
            }
          }
        }
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// One element as written in a baseline: shortest round-trip digits, `nan`, `-inf` …
  public static func element(_ tensor: Tensor, _ index: Int) -> String {
    switch tensor.dtype {
    case .float16: tensor.withUnsafeBufferPointer(as: Float16.self) { floatText($0[index]) }
    case .float32: tensor.withUnsafeBufferPointer(as: Float.self) { floatText($0[index]) }
    case .float64: tensor.withUnsafeBufferPointer(as: Double.self) { floatText($0[index]) }
    case .bfloat16: floatText(Float(tensor.doubleValue(at: index)))
    case .bool: tensor.int64Value(at: index) != 0 ? "true" : "false"
    case .string: tensor.strings[index]
    default: String(tensor.int64Value(at: index))
    }
  }

  private static func floatText<T: BinaryFloatingPoint & LosslessStringConvertible>(_ value: T) -> String {
    if value.isNaN { return value.sign == .minus ? "-nan" : "nan" }
    return value.description
  }

  /// Parses baseline text; errors carry the 1-based line.
  public static func parse(_ text: String) throws(BaselineParseError) -> Baseline {
    var header: [String: String] = [:]
    var headerLines: [String: Int] = [:]
    var sides: [String: SideOutcome] = [:]
    // The values of the output being read, and the file line where each value line ends.
    var pending:
      (side: String, name: String, dtype: DType, shape: [Int], values: [String], line: Int, ends: [(Int, Int)])?

    func finishPending(line: Int) throws(BaselineParseError) {
      guard let current = pending else { return }
      pending = nil
      let tensor: Tensor
      do {
        tensor = try makeTensor(current.dtype, current.shape, current.values, line: current.line)
      } catch {
        // A bad value is reported on its own line.
        guard let index = error.valueIndex, let end = current.ends.first(where: { index < $0.1 }) else { throw error }
        throw BaselineParseError(line: end.0, message: error.message)
      }
      guard case let .outputs(existing) = sides[current.side] ?? .outputs([]) else {
        throw BaselineParseError(line: line, message: "\(current.side) has both an error and outputs")
      }
      sides[current.side] = .outputs(existing + [NamedOutput(name: current.name, value: .tensor(tensor))])
    }

    guard !text.allSatisfy(\.isWhitespace) else {
      throw BaselineParseError(
        line: 1, message: "the baseline file is empty: record it again with `lockstep baseline update`")
    }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    for (offset, rawLine) in lines.enumerated() {
      let number = offset + 1
      let line = String(rawLine)
      if let marker = ["<<<<<<<", "|||||||", "=======", ">>>>>>>"].first(where: { line.hasPrefix($0) }) {
        throw BaselineParseError(
          line: number,
          message: "unresolved merge conflict (`\(marker)`): record the baseline again with `lockstep baseline update`")
      }
      if line.hasPrefix("  ") {
        guard pending != nil else { throw BaselineParseError(line: number, message: "values outside an output") }
        pending!.values += line.split(separator: " ").map(String.init)
        pending!.ends.append((number, pending!.values.count))
        continue
      }
      try finishPending(line: number)
      if line.isEmpty || line.hasPrefix("#") { continue }
      let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
      guard parts.count == 2 else { throw BaselineParseError(line: number, message: "expected `key value`") }
      switch parts[0] {
      case "format", "lockstep", "scenario-sha256", "profile", "verdict":
        header[parts[0]] = parts[1]
        headerLines[parts[0]] = number
      case "v1", "v2":
        let side = parts[0]
        let rest = parts[1].split(separator: " ", maxSplits: 2).map(String.init)
        switch rest.first {
        case "error":
          guard rest.count == 3 else {
            throw BaselineParseError(line: number, message: "expected `error TYPE \"message\"`")
          }
          sides[side] = .error(type: rest[1], message: try unquoted(rest[2], line: number))
        case "outputs":
          sides[side] = .outputs([])
        case "output":
          guard rest.count == 3 else {
            throw BaselineParseError(line: number, message: "expected `output NAME DTYPE SHAPE`")
          }
          let name = rest[1]
          let spec = rest[2].split(separator: " ", maxSplits: 1).map(String.init)
          if spec[0] == "text" {
            guard spec.count == 2 else {
              throw BaselineParseError(line: number, message: "text output without a value")
            }
            let value = try unquoted(spec[1], line: number)
            guard case let .outputs(existing) = sides[side] ?? .outputs([]) else {
              throw BaselineParseError(line: number, message: "\(side) has both an error and outputs")
            }
            sides[side] = .outputs(existing + [NamedOutput(name: name, value: .text(value))])
          } else {
            guard spec.count == 2, let dtype = DType(rawValue: spec[0]), let shape = parseShape(spec[1]) else {
              throw BaselineParseError(line: number, message: "bad output declaration")
            }
            pending = (side, name, dtype, shape, [], number, [])
          }
        default:
          throw BaselineParseError(line: number, message: "expected `output` or `error` after \(side)")
        }
      default:
        throw BaselineParseError(line: number, message: "unknown key '\(parts[0])'")
      }
    }
    try finishPending(line: lines.count)
    guard header["format"] == String(Baseline.formatVersion) else {
      throw BaselineParseError(
        line: headerLines["format"] ?? 1,
        message:
          "unsupported baseline format '\(header["format"] ?? "missing")' (this Lockstep writes format "
          + "\(Baseline.formatVersion))"
      )
    }
    let missing = ["lockstep", "scenario-sha256", "profile", "verdict"].filter { header[$0] == nil }
    guard let hash = header["scenario-sha256"], let profile = header["profile"], let version = header["lockstep"],
      let verdictText = header["verdict"]
    else {
      throw BaselineParseError(
        line: 1, message: "missing header line \(missing.map { "`\($0) …`" }.joined(separator: ", "))")
    }
    guard let verdict = Verdict(rawValue: verdictText) else {
      throw BaselineParseError(
        line: headerLines["verdict"] ?? 1, message: "unknown verdict '\(verdictText)' (equivalent, differ or error)")
    }
    guard let v1 = sides["v1"], let v2 = sides["v2"] else {
      throw BaselineParseError(line: lines.count, message: "missing the v1 or v2 outcome")
    }
    return Baseline(scenarioHash: hash, profile: profile, lockstepVersion: version, verdict: verdict, v1: v1, v2: v2)
  }

  private static func parseShape(_ text: String) -> [Int]? {
    guard text.hasPrefix("("), text.hasSuffix(")") else { return nil }
    let inner = text.dropFirst().dropLast()
    if inner.isEmpty { return [] }
    var dims: [Int] = []
    var count = 1
    for part in inner.split(separator: ",") {
      guard let dim = Int(part), dim >= 0 else { return nil }
      let (product, overflow) = count.multipliedReportingOverflow(by: dim)
      guard !overflow else { return nil }
      count = product
      dims.append(dim)
    }
    return dims
  }

  private static func makeTensor(_ dtype: DType, _ shape: [Int], _ values: [String], line: Int)
    throws(BaselineParseError) -> Tensor
  {
    guard values.count == Shape.elementCount(shape) else {
      throw BaselineParseError(
        line: line, message: "expected \(Shape.elementCount(shape)) values, found \(values.count)")
    }
    func parse<T>(_ convert: (String) -> T?) throws(BaselineParseError) -> [T] {
      var result: [T] = []
      result.reserveCapacity(values.count)
      for (index, value) in values.enumerated() {
        guard let parsed = convert(value) else {
          throw BaselineParseError(line: line, message: "bad \(dtype.name) value '\(value)'", valueIndex: index)
        }
        result.append(parsed)
      }
      return result
    }
    switch dtype {
    case .float16: return Tensor(shape: shape, scalars: try parse { floatValue($0) as Float16? })
    case .bfloat16: return Tensor(shape: shape, scalars: try parse { (floatValue($0) as Float?).map { BFloat16($0) } })
    case .float32: return Tensor(shape: shape, scalars: try parse { floatValue($0) as Float? })
    case .float64: return Tensor(shape: shape, scalars: try parse { floatValue($0) as Double? })
    case .int8: return Tensor(shape: shape, scalars: try parse { Int8($0) })
    case .int16: return Tensor(shape: shape, scalars: try parse { Int16($0) })
    case .int32: return Tensor(shape: shape, scalars: try parse { Int32($0) })
    case .int64: return Tensor(shape: shape, scalars: try parse { Int64($0) })
    case .uint8: return Tensor(shape: shape, scalars: try parse { UInt8($0) })
    case .uint16: return Tensor(shape: shape, scalars: try parse { UInt16($0) })
    case .bool: return Tensor(shape: shape, scalars: try parse { $0 == "true" ? true : $0 == "false" ? false : nil })
    case .string: throw BaselineParseError(line: line, message: "string outputs are not stored in baselines yet")
    }
  }

  private static func floatValue<T: BinaryFloatingPoint & LosslessStringConvertible>(_ text: String) -> T? {
    switch text {
    case "nan": return T.nan
    case "-nan": return -T.nan
    default: return T(text)
    }
  }

  /// A JSON-style quoted string.
  static func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\t": result += "\\t"
      case "\r": result += "\\r"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }

  static func unquoted(_ text: String, line: Int) throws(BaselineParseError) -> String {
    guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else {
      throw BaselineParseError(line: line, message: "expected a quoted string")
    }
    var result = ""
    var scalars = Array(text.unicodeScalars.dropFirst().dropLast())[...]
    while let scalar = scalars.popFirst() {
      guard scalar == "\\" else { result.unicodeScalars.append(scalar); continue }
      guard let escaped = scalars.popFirst() else { throw BaselineParseError(line: line, message: "dangling escape") }
      switch escaped {
      case "n": result += "\n"
      case "t": result += "\t"
      case "r": result += "\r"
      case "\"", "\\": result.unicodeScalars.append(escaped)
      case "u":
        let hex = String(String.UnicodeScalarView(scalars.prefix(4)))
        scalars = scalars.dropFirst(4)
        guard let value = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(value) else {
          throw BaselineParseError(line: line, message: "bad \\u escape")
        }
        result.unicodeScalars.append(decoded)
      default: throw BaselineParseError(line: line, message: "unknown escape \\\(escaped)")
      }
    }
    return result
  }
}

/// A baseline file that cannot be read.
public struct BaselineParseError: Error, Sendable, Equatable {
  /// The 1-based line of the problem.
  public var line: Int
  /// What is wrong.
  public var message: String
  /// The index of the bad value of an output, for locating it.
  var valueIndex: Int? = nil

  init(line: Int, message: String, valueIndex: Int? = nil) {
    self.line = line
    self.message = message
    self.valueIndex = valueIndex
  }
}
