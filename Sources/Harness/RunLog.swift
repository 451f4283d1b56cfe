import Foundation

/// What `lockstep run` prints per scenario: one line (`PASS  id  (verdict)`), a short digest
/// of a failure and where its report is; colour and a progress line only on a terminal.
public struct RunLog: Sendable {
  /// How much to print.
  public enum Verbosity: Sendable {
    /// Failing scenarios and the summary only.
    case quiet
    /// A line per scenario, with a digest of each failure.
    case normal
    /// Also each scenario's time, and a failing scenario's full report.
    case verbose
  }

  /// How much to print.
  public var verbosity: Verbosity
  /// Whether to colour PASS and FAIL (ANSI escapes).
  public var color: Bool

  /// A log printing at `verbosity`, in colour when `color`.
  public init(verbosity: Verbosity = .normal, color: Bool = false) {
    self.verbosity = verbosity
    self.color = color
  }

  /// Whether output gets colour: only on a terminal, and never when `NO_COLOR` is set to
  /// anything but the empty string (no-color.org).
  public static func wantsColor(isTerminal: Bool, environment: [String: String]) -> Bool {
    isTerminal && (environment["NO_COLOR"] ?? "").isEmpty
  }

  /// The standard-output lines for one record.
  public func lines(for record: RunRecord, reportPath: String) -> [String] {
    guard case let .ran(result) = record.item else {
      return ["\(paint("ERROR", red: true)) \(record.entry.path)"]
    }
    if result.passed && verbosity == .quiet { return [] }
    var line = Report.summaryLine(result)
    let status = result.passed ? "PASS" : "FAIL"
    line = paint(status, red: !result.passed) + line.dropFirst(status.count)
    if verbosity == .verbose { line += String(format: "  %.2f s", record.seconds) }
    var lines = [line]
    if !result.passed {
      if verbosity == .verbose {
        lines += Report.render(result).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
          .map { "      | " + $0 }
      } else {
        lines += Report.failureDigest(result).map { "      \($0)" }
      }
      lines.append("      report: \(reportPath)")
    }
    return lines
  }

  /// `[12/25] 3.4 s, 1 failed, running basics/x`: the progress line on a terminal.
  public static func progress(done: Int, total: Int, seconds: Double, failed: Int, running: String?) -> String {
    var text = "[\(done)/\(total)] " + String(format: "%.1f s", seconds)
    if failed > 0 { text += ", \(failed) failed" }
    if let running { text += ", running \(running)" }
    return text
  }

  private func paint(_ text: String, red: Bool) -> String {
    guard color else { return text }
    return (red ? "\u{1B}[31m" : "\u{1B}[32m") + text + "\u{1B}[0m"
  }
}
