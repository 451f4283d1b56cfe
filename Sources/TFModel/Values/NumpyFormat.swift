import Foundation
import Operations
import PythonRuntime
import TensorCore

/// NumPy's `array2string`/`str` formatting, which both `print(ndarray)` and the eager
/// `tf.Tensor` repr use: shortest round-trip digits (at most 8 after the point), aligned
/// columns, scientific notation when magnitudes call for it, nested brackets.
enum NumpyFormat {
  /// `format(array, spec)`: a 0-d array formats as its Python scalar; any other array only
  /// with an empty spec (as its `str`), as NumPy's `ndarray.__format__` does. Eager tensors
  /// delegate to it too.
  /// A NumPy scalar (`np.float32(0.1)`) formats as the Python float it converts to, even
  /// with an empty spec (`0.10000000149011612`).
  static func formatted(_ tensor: Tensor, spec: String, numpyScalar: Bool = false, context: CallContext)
    throws(RuntimeError) -> String
  {
    guard tensor.rank == 0 else {
      guard spec.isEmpty else { throw .typeError("unsupported format string passed to numpy.ndarray.__format__") }
      return arrayString(tensor)
    }
    if spec.isEmpty && !numpyScalar { return scalarString(tensor) }
    return try PyValue.format(Conversion.pythonScalar(tensor, at: 0), spec: spec, context: context)
  }

  /// `str(array)`: `[1.5 2. ]`, `[[1 2]\n [3 4]]`, or a scalar's repr for rank 0.
  static func arrayString(_ tensor: Tensor) -> String {
    if tensor.rank == 0 { return scalarString(tensor) }
    if tensor.scalarCount == 0 { return "[]" }
    return nested(formattedElements(tensor), shape: tensor.shape, depth: 0, offset: 0)
  }

  /// `repr(array)`: `array([1., 2.], dtype=float32)`.
  static func arrayRepr(_ tensor: Tensor) -> String {
    let defaultDType = tensor.dtype == .float64 || tensor.dtype == .int64 || tensor.dtype == .bool
    let suffix = defaultDType ? "" : ", dtype=\(tensor.dtype.name)"
    if tensor.rank == 0 { return "array(\(arrayString(tensor))\(suffix))" }
    if tensor.scalarCount == 0 {
      return "array([]\(suffix.isEmpty ? ", shape=\(Shape.pythonTuple(tensor.shape))" : suffix))"
    }
    let cells = formattedElements(tensor)
    let body = nested(cells, shape: tensor.shape, depth: 0, offset: 0, separator: ",", indent: 6)
    return "array(\(body)\(suffix))"
  }

  /// A NumPy scalar's repr as `print` shows it (`3.0`, `1e-08`, `True`).
  static func scalarString(_ tensor: Tensor) -> String {
    switch tensor.dtype {
    case .float16, .bfloat16, .float32, .float64:
      let (values, shortest) = shortestFloats(tensor)
      return floatRepr(values[0], shortest: shortest[0])
    case .bool: return tensor.int64Value(at: 0) != 0 ? "True" : "False"
    case .string: return tensor.strings[0]
    default: return String(tensor.int64Value(at: 0))
    }
  }

  private static func floatRepr(_ value: Double, shortest: String) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    return shortest
  }

  private static func nested(
    _ cells: [String], shape: [Int], depth: Int, offset: Int, separator: String = "", indent: Int = 0
  ) -> String {
    if depth == shape.count - 1 {
      let row = cells[offset..<offset + shape[depth]]
      return "[" + row.joined(separator: separator + " ") + "]"
    }
    let stride = shape[(depth + 1)...].reduce(1, *)
    let blankLines = String(repeating: "\n", count: max(1, shape.count - depth - 1))
    let pad = String(repeating: " ", count: indent + depth + 1)
    let parts = (0..<shape[depth]).map {
      nested(cells, shape: shape, depth: depth + 1, offset: offset + $0 * stride, separator: separator, indent: indent)
    }
    return "[" + parts.joined(separator: separator + blankLines + pad) + "]"
  }

  /// Every element formatted to a common width, as NumPy's formatters do.
  static func formattedElements(_ tensor: Tensor) -> [String] {
    switch tensor.dtype {
    case .bool: return padLeft(tensor.int64s.map { $0 != 0 ? "True" : "False" })
    case .string: return padLeft(tensor.strings)
    case .float16, .bfloat16, .float32, .float64:
      let (values, shortest) = shortestFloats(tensor)
      return floats(values, shortest: shortest, single: tensor.dtype != .float64)
    default: return padLeft(tensor.int64s.map(String.init))
    }
  }

  /// Each float element's value and its shortest round-trip text in its own type.
  private static func shortestFloats(_ tensor: Tensor) -> ([Double], [String]) {
    func read<T: FloatingElement & CustomStringConvertible>(_ type: T.Type) -> ([Double], [String]) {
      tensor.withUnsafeBufferPointer(as: T.self) { ($0.map(\.doubleValue), $0.map(\.description)) }
    }
    switch tensor.dtype {
    case .float16: return read(Float16.self)
    case .float32: return read(Float.self)
    case .float64: return read(Double.self)
    default:
      let values = tensor.doubles
      return (values, values.map { Float($0).description })
    }
  }

  private static func padLeft(_ words: [String]) -> [String] {
    let width = words.map(\.count).max() ?? 0
    return words.map { String(repeating: " ", count: width - $0.count) + $0 }
  }

  /// NumPy's FloatingFormat with `floatmode='maxprec'`, precision 8.
  private static func floats(_ values: [Double], shortest: [String], single: Bool) -> [String] {
    let finite = values.filter(\.isFinite).map(abs)
    let nonZero = finite.filter { $0 != 0 }
    let maxValue = nonZero.max() ?? 0
    let minValue = nonZero.min() ?? 0
    let scientific = !nonZero.isEmpty && (maxValue >= 1e8 || minValue < 1e-4 || maxValue / minValue > 1e3)
    if scientific { return scientificCells(values, single: single) }
    // Positional: integer and fraction parts padded separately so the points line up.
    let parts: [(String, String)] = zip(values, shortest).map { value, text in
      if !value.isFinite { return (floatRepr(value, shortest: text), "") }
      var digits = positional(text)
      if let point = digits.firstIndex(of: "."), digits.distance(from: point, to: digits.endIndex) > 9 {
        digits = String(format: "%.8f", value)
        while digits.hasSuffix("0") { digits.removeLast() }
      }
      let split = digits.split(separator: ".", omittingEmptySubsequences: false)
      return (String(split[0]), split.count > 1 ? String(split[1]) : "")
    }
    // Widths come from the finite values; inf and nan are right-aligned to the full width.
    let finiteParts = zip(values, parts).filter { $0.0.isFinite }.map(\.1)
    let left = finiteParts.map(\.0.count).max() ?? 0
    let right = finiteParts.map(\.1.count).max() ?? 0
    return zip(values, parts).map { value, part in
      if !value.isFinite {
        let width = finiteParts.isEmpty ? part.0.count : left + right + 1
        return String(repeating: " ", count: max(0, width - part.0.count)) + part.0
      }
      let head = String(repeating: " ", count: left - part.0.count) + part.0
      return head + "." + part.1 + String(repeating: " ", count: right - part.1.count)
    }
  }

  /// Shortest digits written without an exponent (`1e-05` becomes `0.00001`, `2.0` stays).
  private static func positional(_ shortest: String) -> String {
    guard let e = shortest.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
      return shortest.hasSuffix(".0") ? String(shortest.dropLast()) : shortest
    }
    let mantissa = shortest[..<e]
    let exponent = Int(shortest[shortest.index(after: e)...])!
    let negative = mantissa.hasPrefix("-")
    var digits = mantissa.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ".", with: "")
    let pointPosition =
      (mantissa.replacingOccurrences(of: "-", with: "").firstIndex(of: ".").map {
        mantissa.replacingOccurrences(of: "-", with: "").distance(
          from: mantissa.replacingOccurrences(of: "-", with: "").startIndex, to: $0)
      } ?? digits.count) + exponent
    var result: String
    if pointPosition <= 0 {
      result = "0." + String(repeating: "0", count: -pointPosition) + digits
    } else if pointPosition >= digits.count {
      digits += String(repeating: "0", count: pointPosition - digits.count)
      result = digits + "."
    } else {
      result = String(digits.prefix(pointPosition)) + "." + digits.dropFirst(pointPosition)
    }
    if result.hasSuffix(".0") { result.removeLast() }
    return (negative ? "-" : "") + result
  }

  private static func scientificCells(_ values: [Double], single: Bool) -> [String] {
    let parts: [(String, String, Int)] = values.map { value in
      guard value.isFinite, value != 0 else { return (value.isFinite ? "0" : floatRepr(value, shortest: ""), "", 0) }
      // Shortest mantissa digits (at most 8 after the point) for this value.
      var best = String(format: "%.8e", value)
      for precision in 0...8 {
        let candidate = String(format: "%.\(precision)e", value)
        let roundTrips = single ? Float(candidate) == Float(value) : Double(candidate) == value
        if roundTrips {
          best = candidate
          break
        }
      }
      let pieces = best.split(separator: "e")
      let mantissa = pieces[0].split(separator: ".", omittingEmptySubsequences: false)
      return (String(mantissa[0]), mantissa.count > 1 ? String(mantissa[1]) : "", Int(pieces[1])!)
    }
    let fraction = parts.map(\.1.count).max() ?? 0
    let left = parts.map(\.0.count).max() ?? 1
    return zip(values, parts).map { value, part in
      if !value.isFinite { return String(repeating: " ", count: max(0, left + fraction + 5 - part.0.count)) + part.0 }
      let fractionDigits = part.1 + String(repeating: "0", count: fraction - part.1.count)
      let exponent = String(format: "e%@%02d", part.2 < 0 ? "-" : "+", abs(part.2))
      return String(repeating: " ", count: left - part.0.count) + part.0 + "." + fractionDigits + exponent
    }
  }
}
