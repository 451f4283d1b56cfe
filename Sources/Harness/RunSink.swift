import Foundation

/// Receives a run's records in selection order, then the whole run: terminal lines, text
/// reports, `--json`, `--junit`, baseline updates.
public protocol RunSink {
  /// Called with each record, in selection order, as the run produces it.
  func receive(_ record: RunRecord) throws
  /// Called once, after the last record.
  func finish(_ records: [RunRecord], summary: RunSummary) throws
}

extension RunSink {
  /// Does nothing.
  public func receive(_ record: RunRecord) throws {}
  /// Does nothing.
  public func finish(_ records: [RunRecord], summary: RunSummary) throws {}
}

/// Writes each scenario's text report to `.lockstep/reports/<id>.txt`.
public struct ReportWriter: RunSink {
  /// The session whose reports directory is used.
  public var session: RunSession

  /// A writer for `session`'s workspace.
  public init(session: RunSession) {
    self.session = session
  }

  /// Writes the record's report; throws when the file cannot be written.
  public func receive(_ record: RunRecord) throws {
    guard let result = record.result else { return }
    try OutputError.write(Data(Report.render(result).utf8), to: session.reportPath(for: result.scenario.id))
  }
}

/// Writes each failing scenario's report and obtained outcomes under a directory for CI to
/// upload (`LOCKSTEP_ARTIFACTS`): `<id>.txt` and `<id>.obtained.baseline`, the outcomes in
/// the baseline format, comparable with `Baselines/<id>.baseline`.
public struct ArtifactWriter: RunSink {
  /// The artifacts directory.
  public var directory: String

  /// A writer into `directory`.
  public init(directory: String) {
    self.directory = directory
  }

  /// Writes the record's files when its scenario failed.
  public func receive(_ record: RunRecord) throws {
    guard let result = record.result, !result.passed else { return }
    let id = result.scenario.id
    let base = (directory as NSString).appendingPathComponent(id)
    let obtained = BaselineFormat.write(ScenarioRunner.baseline(of: result), scenarioID: id)
    for (path, text) in [(base + ".txt", Report.render(result)), (base + ".obtained.baseline", obtained)] {
      try OutputError.write(Data(text.utf8), to: path)
    }
  }
}

/// The `--json` file, written when the run is over.
public struct JSONSink: RunSink {
  /// Where to write.
  public var path: String

  /// A sink writing to `path`.
  public init(path: String) {
    self.path = path
  }

  /// Writes the document.
  public func finish(_ records: [RunRecord], summary: RunSummary) throws {
    try OutputError.write(JSONReport.data(records.map(\.item), summary: summary), to: path)
  }
}

/// A report or other output file that could not be written.
public struct OutputError: Error, CustomStringConvertible {
  /// The file.
  public var path: String
  /// Why.
  public var reason: String
  public var description: String { "\(path): error: cannot write the file: \(reason)" }

  /// Writes `data` to `path` atomically, creating its directory, throwing this error when
  /// that fails.
  static func write(_ data: Data, to path: String) throws(OutputError) {
    do {
      let folder = (path as NSString).deletingLastPathComponent
      if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
      try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw OutputError(path: path, reason: error.localizedDescription)
    }
  }
}
