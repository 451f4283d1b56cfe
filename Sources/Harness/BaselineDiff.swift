import TFModel
import TensorCore

/// Describes how a new baseline differs from the recorded one, for `baseline update`.
public enum BaselineDiff {
  /// `largest |Δ| 1.5e-06 (v1 z[2])`, or what changed when it is not a value.
  public static func describe(_ old: Baseline, _ new: Baseline) -> String {
    var notes: [String] = []
    if old.verdict != new.verdict { notes.append("verdict \(old.verdict.rawValue) → \(new.verdict.rawValue)") }
    if old.scenarioHash != new.scenarioHash { notes.append("scenario file edited") }
    if old.profile != new.profile { notes.append("profile \(old.profile) → \(new.profile)") }
    var largest: (Double, String)?
    for (side, a, b) in [("v1", old.v1, new.v1), ("v2", old.v2, new.v2)] {
      switch (a, b) {
      case let (.outputs(x), .outputs(y)):
        for output in y {
          guard let previous = x.first(where: { $0.name == output.name }) else {
            notes.append("\(side) new output \(output.name)")
            continue
          }
          guard case let .tensor(p) = previous.value, case let .tensor(q) = output.value,
            p.dtype == q.dtype, p.shape == q.shape
          else {
            if previous.value != output.value { notes.append("\(side) \(output.name) changed kind, dtype or shape") }
            continue
          }
          for (index, (u, v)) in zip(Comparator.widened(p), Comparator.widened(q)).enumerated()
          where u != v || (u.isNaN != v.isNaN) {
            let delta = u.isNaN || v.isNaN ? Double.infinity : abs(u - v)
            if delta > (largest?.0 ?? -1) || (delta == 0 && largest == nil) {
              largest = (delta, "\(side) \(output.name)\(Report.indexText(Comparator.unflatten(index, p.shape)))")
            }
          }
        }
        for output in x where !y.contains(where: { $0.name == output.name }) {
          notes.append("\(side) lost output \(output.name)")
        }
      case let (.error(t1, m1), .error(t2, m2)):
        if t1 != t2 || m1 != m2 { notes.append("\(side) error \(t1) → \(t2)") }
      case let (.error(type, _), .outputs):
        notes.append("\(side) no longer raises \(type)")
      case let (.outputs, .error(type, _)):
        notes.append("\(side) now raises \(type)")
      }
    }
    if let (delta, place) = largest {
      notes.insert("largest |Δ| \(Report.format(delta)) (\(place))", at: 0)
    }
    return notes.isEmpty ? "recorded again" : notes.joined(separator: "; ")
  }

  /// The review of a pending baseline against the current one (nil when there is none): the
  /// header changes, then per side and output the elements that changed (n/N) with the
  /// largest |Δ| and relative Δ, each with its index and both values, or what else changed.
  public static func review(id: String, current: Baseline?, pending: Baseline) -> [String] {
    guard let current else {
      return ["\(id): new baseline (verdict \(pending.verdict.rawValue), profile \(pending.profile))"]
    }
    var lines = ["\(id): " + describe(current, pending)]
    let exact: (DType) -> Tolerance = { _ in Tolerance(rtol: 0, atol: 0) }
    for (side, old, new) in [("v1", current.v1, pending.v1), ("v2", current.v2, pending.v2)] {
      guard case let .outputs(before) = old, case let .outputs(after) = new else {
        if old != new { lines.append("  \(side): \(outcomeText(old)) → \(outcomeText(new))") }
        continue
      }
      let names = before.map(\.name) + after.map(\.name).filter { name in !before.contains { $0.name == name } }
      for name in names {
        let comparison = Comparator.compare(
          name: name, before.first { $0.name == name }?.value, after.first { $0.name == name }?.value,
          tolerance: exact, sides: ("baseline", "pending"))
        guard !comparison.matches else { continue }
        guard let statistics = comparison.statistics else {
          lines.append("  \(side) \(name): \(Report.failureText(comparison, sides: ("baseline", "pending")))")
          continue
        }
        var line = "  \(side) \(name): \(statistics.mismatches)/\(statistics.count) elements changed"
        if let worst = statistics.maxAbsolute {
          line +=
            "; largest |Δ| \(Report.format(worst.difference)) at \(Report.indexText(worst.index)): "
            + "\(worst.lhs) → \(worst.rhs)"
        }
        if let worst = statistics.maxRelative, worst.difference > 0 {
          line +=
            "; largest relative Δ \(Report.format(worst.difference)) at \(Report.indexText(worst.index)): "
            + "\(worst.lhs) → \(worst.rhs)"
        }
        lines.append(line)
      }
    }
    return lines
  }

  private static func outcomeText(_ outcome: SideOutcome) -> String {
    switch outcome {
    case let .error(type, message): "raises \(type): \(message)"
    case let .outputs(outputs): "outputs \(outputs.map(\.name).joined(separator: ", "))"
    }
  }
}
