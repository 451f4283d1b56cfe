import Foundation
import TFModel
import TensorCore

/// One invocation's work over a set of scenarios: run each loaded scenario (in parallel with
/// `jobs` threads), check it against its baseline, and hand each record to the sinks in
/// selection order as soon as it and every one before it are done. `lockstep run`,
/// `baseline update`, `report` and the test suite all drive scenarios through it.
public struct RunSession: Sendable {
  /// The workspace scenarios and baselines live in.
  public var workspace: Workspace
  /// A profile that overrides each scenario's own.
  public var profile: Profile?
  /// How many scenarios run at once.
  public var jobs: Int
  /// The limits each program is held to.
  public var limits: RunLimits

  /// Makes a session.
  public init(workspace: Workspace, profile: Profile? = nil, jobs: Int = 1, limits: RunLimits = RunLimits()) {
    self.workspace = workspace
    self.profile = profile
    self.jobs = max(1, jobs)
    self.limits = limits
  }

  /// How the session shares the machine's cores between scenarios, kernels and OpenBLAS.
  public var threads: ThreadBudget { ThreadBudget(cores: Parallel.coreCount, jobs: jobs) }

  /// The outcome of one selected scenario: a result, or a file that could not be loaded.
  public enum Item: Sendable {
    case ran(ScenarioResult)
    case invalid(ScenarioError)
  }

  /// Runs the selection, calling every sink with each record in selection order, then
  /// `finish` on each with all records; returns the records. A sink's error stops nothing
  /// else: it is collected and rethrown (the first one) once every sink has finished.
  @discardableResult
  public func run(_ selection: [Workspace.Selected], sinks: [any RunSink]) throws -> [RunRecord] {
    var firstError: (any Error)?
    let start = DispatchTime.now()
    let records = produce(selection) { record in
      for sink in sinks {
        do { try sink.receive(record) } catch { firstError = firstError ?? error }
      }
    }
    var summary = RunSummary(records.map(\.item))
    summary.seconds = Self.seconds(since: start)
    for sink in sinks {
      do { try sink.finish(records, summary: summary) } catch { firstError = firstError ?? error }
    }
    if let firstError { throw firstError }
    return records
  }

  /// Loads and runs each entry (for benchmarks and other simple callers), writing its report
  /// when `writeReports` is set; a report that cannot be written is skipped here, while
  /// `run(_:sinks:)` reports it.
  public func run(_ entries: [Workspace.Entry], writeReports: Bool = true) -> [Item] {
    let writer = ReportWriter(session: self)
    return produce(entries.map(Workspace.Selected.init)) { record in
      if writeReports { try? writer.receive(record) }
    }.map(\.item)
  }

  /// Runs the selection on `jobs` threads, calling `emit` on this thread with record 0, 1, 2 …
  /// each as soon as it and all before it are done.
  func produce(_ selection: [Workspace.Selected], emit: (RunRecord) -> Void) -> [RunRecord] {
    let board = ResultBoard(count: selection.count)
    // OpenBLAS's core type is chosen with setenv on first use; make that choice here, before
    // other threads exist, since setenv races with getenv on another thread.
    _ = BLAS.coreTypeChoice
    let threads = self.threads
    BLAS.setThreadCount(threads.blasThreads)
    for _ in 0..<min(jobs, selection.count) {
      Thread { [self] in
        while let index = board.claim() {
          board.post(runOne(selection[index], index: index, kernelThreads: threads.kernelThreads), at: index)
        }
      }.start()
    }
    return selection.indices.map { index in
      let record = board.await(index)
      emit(record)
      return record
    }
  }

  private func runOne(_ selected: Workspace.Selected, index: Int, kernelThreads: Int) -> RunRecord {
    let start = DispatchTime.now()
    let item: Item
    switch selected.scenario {
    case let .failure(error): item = .invalid(error)
    case let .success(scenario):
      item = .ran(
        ScenarioRunner.run(
          scenario, profile: profile, baselines: workspace.baselines, limits: limits, kernelThreads: kernelThreads))
    }
    return RunRecord(index: index, entry: selected.entry, item: item, seconds: Self.seconds(since: start))
  }

  private static func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
  }

  /// Where a scenario's report is written.
  public func reportPath(for id: String) -> String {
    (workspace.reportsDirectory as NSString).appendingPathComponent("\(id).txt")
  }
}

/// One scenario's place in the run, its outcome and how long it took.
public struct RunRecord: Sendable {
  /// Its position in the selection.
  public var index: Int
  /// The scenario file.
  public var entry: Workspace.Entry
  /// Its result, or why it could not be loaded.
  public var item: RunSession.Item
  /// Wall-clock seconds spent running it.
  public var seconds: Double

  /// The result, when the scenario could be loaded.
  public var result: ScenarioResult? {
    if case let .ran(result) = item { return result }
    return nil
  }
}

/// The records of a parallel run: workers claim indices in order and post results; the
/// emitting thread waits for each index in turn.
private final class ResultBoard: @unchecked Sendable {
  private let condition = NSCondition()
  private var records: [RunRecord?]
  private var nextClaim = 0

  init(count: Int) {
    records = Array(repeating: nil, count: count)
  }

  /// The next index nobody runs yet, or nil when all are taken.
  func claim() -> Int? {
    condition.lock()
    defer { condition.unlock() }
    guard nextClaim < records.count else { return nil }
    nextClaim += 1
    return nextClaim - 1
  }

  func post(_ record: RunRecord, at index: Int) {
    condition.lock()
    records[index] = record
    condition.broadcast()
    condition.unlock()
  }

  func await(_ index: Int) -> RunRecord {
    condition.lock()
    defer { condition.unlock() }
    while records[index] == nil { condition.wait() }
    return records[index]!
  }
}

/// Counts for the closing summary line.
public struct RunSummary: Equatable, Sendable {
  /// Scenarios that passed.
  public var passed = 0
  /// Scenarios that failed.
  public var failed = 0
  /// Files or programs that are bad input.
  public var errors = 0
  /// Scenarios without a baseline.
  public var missingBaselines = 0
  /// Scenarios whose outcomes match their baseline within tolerance but not exactly.
  public var drifted = 0
  /// Wall-clock seconds the whole run took (0 when not measured).
  public var seconds = 0.0

  /// Tallies items.
  public init(_ items: [RunSession.Item]) {
    for item in items {
      switch item {
      case let .ran(result):
        if result.passed { passed += 1 } else { failed += 1 }
        if case .missing = result.baseline { missingBaselines += 1 }
        if result.drift != nil { drifted += 1 }
        if result.hasSyntaxError { errors += 1 }
      case .invalid:
        errors += 1
      }
    }
  }

  /// `3 passed, 1 failed, 0 errors, 0 missing baselines`, then `, 2 drifted within tolerance`
  /// when some did.
  public var line: String {
    let drift = drifted == 0 ? "" : ", \(drifted) drifted within tolerance"
    return "\(passed) passed, \(failed) failed, \(errors) errors, \(missingBaselines) missing baselines\(drift)"
  }
}
