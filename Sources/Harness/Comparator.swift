import TFModel
import TensorCore

/// How two values of one output compare.
public struct OutputComparison: Sendable {
  /// The output's name (`z`, `print[0]`).
  public var name: String
  /// The left value (v1, or the baseline's).
  public var lhs: OutputValue?
  /// The right value (v2, or the current run's).
  public var rhs: OutputValue?
  /// The tolerance used.
  public var tolerance: Tolerance
  /// Why they differ, or nil when they match.
  public var failure: Failure?
  /// Element-wise statistics, when both are tensors of one shape and dtype.
  public var statistics: Statistics?

  /// Why two values do not match.
  public enum Failure: Sendable, Equatable {
    case missing(side: String)
    case kind(String)
    case dtype(DType, DType)
    case shape([Int], [Int])
    case values
    case text
  }

  /// Mismatch counts and the worst elements.
  public struct Statistics: Sendable {
    /// Elements outside tolerance.
    public var mismatches: Int
    /// Elements compared.
    public var count: Int
    /// Largest |a − b|, at a flat index, with both values.
    public var maxAbsolute: Worst?
    /// Largest |a − b| / |b|, at a flat index, with both values.
    public var maxRelative: Worst?
    /// The smallest atol that passes with the scenario's rtol.
    public var neededAtol: Double
    /// The smallest rtol that passes with the scenario's atol (infinite when b = 0 forces it).
    public var neededRtol: Double
    /// Flat index of the first element that fails, if any.
    public var firstFailure: Int?
  }

  /// One extreme difference.
  public struct Worst: Sendable {
    /// The difference (absolute or relative).
    public var difference: Double
    /// Where, as a multi-index.
    public var index: [Int]
    /// The left value, as written in baselines.
    public var lhs: String
    /// The right value, as written in baselines.
    public var rhs: String
  }

  /// Whether the two values match.
  public var matches: Bool { failure == nil }
}

/// Compares outputs: shape and dtype first, then values with `|a − b| ≤ atol + rtol·|b|`;
/// NaNs must match in position, infinities in position and sign, integers and bools exactly.
public enum Comparator {
  /// Compares one output's two values.
  public static func compare(
    name: String, _ lhs: OutputValue?, _ rhs: OutputValue?, tolerance: (DType) -> Tolerance,
    sides: (String, String) = ("v1", "v2")
  ) -> OutputComparison {
    var result = OutputComparison(name: name, lhs: lhs, rhs: rhs, tolerance: Tolerance(rtol: 0, atol: 0))
    guard let lhs else { result.failure = .missing(side: sides.0); return result }
    guard let rhs else { result.failure = .missing(side: sides.1); return result }
    switch (lhs, rhs) {
    case let (.text(a), .text(b)):
      if a != b { result.failure = .text }
    case let (.tensor(a), .tensor(b)):
      result.tolerance = tolerance(a.dtype)
      guard a.dtype == b.dtype else { result.failure = .dtype(a.dtype, b.dtype); return result }
      guard a.shape == b.shape else { result.failure = .shape(a.shape, b.shape); return result }
      let statistics = elementStatistics(a, b, tolerance: result.tolerance)
      result.statistics = statistics
      if statistics.mismatches > 0 { result.failure = .values }
    case (.text, .tensor), (.tensor, .text):
      result.failure = .kind("\(sides.0) has \(describe(lhs)), \(sides.1) has \(describe(rhs))")
    }
    return result
  }

  static func describe(_ value: OutputValue) -> String {
    switch value {
    case let .tensor(t): "a \(t.dtype.name) tensor of shape \(Shape.pythonTuple(t.shape))"
    case let .text(text): "the text \(text.debugDescription)"
    }
  }

  private static func elementStatistics(_ a: Tensor, _ b: Tensor, tolerance: Tolerance) -> OutputComparison.Statistics {
    let exact = !a.dtype.isFloatingPoint
    let x = widened(a)
    let y = widened(b)
    var mismatches = 0
    var firstFailure: Int?
    var maxAbs: (Double, Int)?
    var maxRel: (Double, Int)?
    var neededAtol = 0.0
    var neededRtol = 0.0
    for i in 0..<x.count {
      let (p, q) = (x[i], y[i])
      let ok: Bool
      if p.isNaN || q.isNaN {
        ok = p.isNaN && q.isNaN
      } else if p.isInfinite || q.isInfinite {
        ok = p == q
      } else if exact {
        ok = elementsEqualExactly(a, b, i)
      } else {
        let difference = abs(p - q)
        ok = difference <= tolerance.atol + tolerance.rtol * abs(q)
        if difference > (maxAbs?.0 ?? -1) { maxAbs = (difference, i) }
        if q != 0, difference / abs(q) > (maxRel?.0 ?? -1) { maxRel = (difference / abs(q), i) }
        neededAtol = max(neededAtol, difference - tolerance.rtol * abs(q))
        if difference > tolerance.atol {
          neededRtol = max(neededRtol, q == 0 ? .infinity : (difference - tolerance.atol) / abs(q))
        }
      }
      if !ok {
        mismatches += 1
        if firstFailure == nil { firstFailure = i }
        if exact || p.isNaN || q.isNaN || p.isInfinite || q.isInfinite {
          let difference = p.isNaN || q.isNaN ? Double.nan : abs(p - q)
          if maxAbs == nil || difference > maxAbs!.0 || difference.isNaN { maxAbs = (difference, i) }
          neededAtol = .infinity
          neededRtol = .infinity
        }
      }
    }
    func worst(_ pair: (Double, Int)?) -> OutputComparison.Worst? {
      guard let (difference, index) = pair else { return nil }
      return OutputComparison.Worst(
        difference: difference, index: unflatten(index, a.shape),
        lhs: Report.valueText(a, index), rhs: Report.valueText(b, index))
    }
    return OutputComparison.Statistics(
      mismatches: mismatches, count: x.count, maxAbsolute: worst(maxAbs), maxRelative: worst(maxRel),
      neededAtol: max(0, neededAtol), neededRtol: neededRtol, firstFailure: firstFailure)
  }

  private static func elementsEqualExactly(_ a: Tensor, _ b: Tensor, _ i: Int) -> Bool {
    if a.dtype == b.dtype, !a.dtype.isFloatingPoint {
      return a.int64Value(at: i) == b.int64Value(at: i)
    }
    return a.doubleValue(at: i) == b.doubleValue(at: i)
  }

  /// Every element as a Double; float32 and float64 through loops specialised for them
  /// (the generic `Tensor.doubles` costs a dynamic call per element, which dominates a run
  /// with a large output).
  static func widened(_ tensor: Tensor) -> [Double] {
    switch tensor.dtype {
    case .float32: tensor.withUnsafeBufferPointer(as: Float.self) { $0.map(Double.init) }
    case .float64: tensor.scalars(as: Double.self)
    default: tensor.doubles
    }
  }

  /// A flat row-major index as a multi-index.
  static func unflatten(_ index: Int, _ shape: [Int]) -> [Int] {
    var rest = index
    var result = [Int](repeating: 0, count: shape.count)
    for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] > 0 {
      result[axis] = rest % shape[axis]
      rest /= shape[axis]
    }
    return result
  }
}
