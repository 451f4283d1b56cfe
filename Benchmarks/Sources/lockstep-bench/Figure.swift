import Foundation

/// A unit a figure is reported in, with the decimals it prints.
enum Unit: String {
  case gigaflops = "GFLOP/s"
  case gigabytesPerSecond = "GB/s"
  case microseconds = "µs"
  case milliseconds = "ms"
  case seconds = "s"
  case scenariosPerSecond = "scenarios/s"

  /// Digits after the decimal point.
  var decimals: Int {
    switch self {
    case .gigaflops: 1
    case .gigabytesPerSecond, .scenariosPerSecond, .milliseconds: 2
    case .microseconds, .seconds: 3
    }
  }

  /// `value` with this unit's decimals and the unit: `142.1 GFLOP/s`.
  func format(_ value: Double) -> String {
    String(format: "%.\(decimals)f", value) + " " + rawValue
  }
}

/// What a figure must reach to be `ok`.
enum Goal {
  /// value / reference at least this (higher is better).
  case ratioAtLeast(Double)
  /// value / reference at most this (lower is better: a cost against its floor).
  case ratioAtMost(Double)
  /// The value itself at least this many units; the ratio is value / goal.
  case atLeast(Double, Unit)
  /// The value itself at most this many units (lower is better); the ratio is goal / value.
  case atMost(Double, Unit)
  /// No goal: always `ok`.
  case none

  /// The goal column: `>=0.95`, `>=150 GFLOP/s`, `<=1 µs`, `-`.
  var text: String {
    switch self {
    case let .ratioAtLeast(ratio): ">=\(ratio)"
    case let .ratioAtMost(ratio): "<=\(ratio)"
    case let .atLeast(value, unit): ">=" + String(format: "%g", value) + " " + unit.rawValue
    case let .atMost(value, unit): "<=" + String(format: "%g", value) + " " + unit.rawValue
    case .none: "-"
    }
  }
}

/// One result line: `NAME: VALUE UNIT | reference: VALUE UNIT | ratio: R | goal: G | ok`.
///
/// A missing value or reference prints as `-`; a figure without a value (`not yet
/// available`) is always `MISS` unless it has no goal.
struct Figure {
  /// The figure's name, without spaces.
  var name: String
  /// The engine's figure, or nil with `unavailable` saying why.
  var value: Double?
  /// The unit of `value`.
  var unit: Unit
  /// The reference measured in the same run, if any, with its own unit.
  var reference: (value: Double, unit: Unit)?
  /// What `value` must reach.
  var goal: Goal
  /// What prints in place of a missing value.
  var unavailable = "not yet available"

  /// The ratio the goal is judged by: value / reference, value / goal or goal / value.
  var ratio: Double? {
    guard let value else { return nil }
    switch goal {
    case .ratioAtLeast, .ratioAtMost: return reference.map { value / $0.value }
    case let .atLeast(target, _): return value / target
    case let .atMost(target, _): return target / value
    case .none: return nil
    }
  }

  /// Whether the goal is met, judged on the ratio as printed (two decimals), so the line
  /// never contradicts itself.
  var isOK: Bool {
    if case .none = goal { return true }
    guard let ratio else { return false }
    let printed = (ratio * 100).rounded() / 100
    switch goal {
    case let .ratioAtLeast(target): return printed >= target
    case let .ratioAtMost(target): return printed <= target
    case .atLeast, .atMost: return printed >= 1
    case .none: return true
    }
  }

  /// The line as printed.
  var line: String {
    let valueText = value.map { unit.format($0) } ?? unavailable
    let referenceText = reference.map { $0.unit.format($0.value) } ?? "-"
    let ratioText = ratio.map { String(format: "%.2f", $0) } ?? "-"
    return "\(name): \(valueText) | reference: \(referenceText) | ratio: \(ratioText) | goal: \(goal.text) | "
      + (isOK ? "ok" : "MISS")
  }
}
