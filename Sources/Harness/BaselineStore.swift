import Foundation

/// Reads and writes baseline files under a `Baselines/` directory, one per scenario id, and
/// the pending baselines a recording leaves for review (`<id>.baseline.pending`, beside the
/// baseline or under a separate directory).
public struct BaselineStore: Sendable {
  /// The `Baselines/` directory.
  public var directory: String
  /// Where pending baselines go; nil puts each beside its baseline.
  public var pendingDirectory: String?

  /// A store rooted at `directory`.
  public init(directory: String, pendingDirectory: String? = nil) {
    self.directory = directory
    self.pendingDirectory = pendingDirectory
  }

  /// The file extension of baseline files.
  public static let fileExtension = "baseline"
  /// The suffix a pending baseline adds to the baseline's file name.
  public static let pendingSuffix = ".pending"

  /// The path of a scenario's baseline.
  public func path(for id: String) -> String {
    (directory as NSString).appendingPathComponent("\(id).\(Self.fileExtension)")
  }

  /// The path of a scenario's pending baseline.
  public func pendingPath(for id: String) -> String {
    ((pendingDirectory ?? directory) as NSString).appendingPathComponent(
      "\(id).\(Self.fileExtension)\(Self.pendingSuffix)")
  }

  /// The ids that have a pending baseline, sorted.
  public func pendingIDs() -> [String] {
    Self.ids(under: pendingDirectory ?? directory, suffix: ".\(Self.fileExtension)\(Self.pendingSuffix)")
  }

  /// The ids that have a baseline, sorted.
  public func recordedIDs() -> [String] {
    Self.ids(under: directory, suffix: ".\(Self.fileExtension)")
  }

  private static func ids(under base: String, suffix: String) -> [String] {
    guard let enumerator = FileManager.default.enumerator(atPath: base) else { return [] }
    var ids: [String] = []
    for case let relative as String in enumerator where relative.hasSuffix(suffix) {
      ids.append(String(relative.dropLast(suffix.count)))
    }
    return ids.sorted()
  }

  /// Removes the temporary files (`.<name>.<uuid>.tmp`) that writes interrupted before
  /// their rename left in the baseline and pending directories; call it holding the lock.
  public func removeTemporaryFiles() {
    for base in Set([directory, pendingDirectory ?? directory]) {
      guard let enumerator = FileManager.default.enumerator(atPath: base) else { continue }
      for case let relative as String in enumerator
      where (relative as NSString).lastPathComponent.hasPrefix(".") && relative.hasSuffix(".tmp") {
        try? FileManager.default.removeItem(atPath: (base as NSString).appendingPathComponent(relative))
      }
    }
  }

  /// Removes a scenario's baseline and any pending one.
  public func remove(_ id: String) throws {
    try reject(id)
    try FileManager.default.removeItem(atPath: path(for: id))
  }

  /// Reads a scenario's pending baseline.
  public func readPending(_ id: String) -> Lookup {
    read(file: pendingPath(for: id))
  }

  /// Writes a pending baseline for review, atomically.
  public func writePending(_ baseline: Baseline, for id: String) throws {
    try write(baseline, id: id, to: pendingPath(for: id))
  }

  /// Makes the pending baseline the baseline (an atomic rename when both are in one
  /// directory tree on one file system, else a write and a removal).
  public func accept(_ id: String) throws {
    switch readPending(id) {
    case .missing: throw BaselineWriteError(message: "no pending baseline for \(id)")
    case let .unreadable(message): throw BaselineWriteError(message: message)
    case let .found(baseline):
      try write(baseline, for: id)
      try reject(id)
    }
  }

  /// Removes a pending baseline (nothing when there is none).
  public func reject(_ id: String) throws {
    let file = pendingPath(for: id)
    guard FileManager.default.fileExists(atPath: file) else { return }
    try FileManager.default.removeItem(atPath: file)
  }

  /// What was found on disk for a scenario.
  public enum Lookup: Sendable {
    case missing
    case unreadable(String)
    case found(Baseline)
  }

  /// Reads a scenario's baseline.
  public func read(_ id: String) -> Lookup {
    read(file: path(for: id))
  }

  private func read(file: String) -> Lookup {
    guard FileManager.default.fileExists(atPath: file) else { return .missing }
    if let target = escape(file) {
      return .unreadable(
        "\(file): error: the baseline resolves to \(target), outside \(base(of: file)) (a symlink?); "
          + "it is not read")
    }
    guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
      guard let data = FileManager.default.contents(atPath: file) else {
        return .unreadable("\(file): error: cannot read the file")
      }
      let at = ScenarioLoader.firstInvalidUTF8(Array(data))
      return .unreadable(
        "\(file):\(at.line):\(at.column): error: the file is not UTF-8 text (a byte here is not UTF-8)")
    }
    do {
      return .found(try BaselineFormat.parse(text))
    } catch {
      return .unreadable("\(file):\(error.line):1: error: \(error.message)")
    }
  }

  /// The tree `file` belongs in: the pending directory for a pending file kept apart, else
  /// the baselines directory.
  private func base(of file: String) -> String {
    if let pendingDirectory, file.hasSuffix(Self.pendingSuffix) { return pendingDirectory }
    return directory
  }

  /// Where `file` really is when a symlink (the file's or a folder's) leads out of its tree.
  private func escape(_ file: String) -> String? {
    PathContainment.escape(of: file, from: base(of: file))
  }

  /// Writes a baseline atomically: a temporary file in the same directory, then a rename, so
  /// an interrupted write never leaves a truncated baseline.
  public func write(_ baseline: Baseline, for id: String) throws {
    try write(baseline, id: id, to: path(for: id))
  }

  private func write(_ baseline: Baseline, id: String, to file: String) throws {
    if ProcessInfo.processInfo.environment["CI"] != nil {
      throw BaselineWriteError(message: "refusing to write baselines: the CI environment variable is set")
    }
    let folder = (file as NSString).deletingLastPathComponent
    if let target = escape(file) {
      throw BaselineWriteError(
        message: "\(file): error: refusing to write: the path resolves to \(target), outside \(base(of: file)) "
          + "(a symlink?)")
    }
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let temporary = (folder as NSString).appendingPathComponent(
      ".\((file as NSString).lastPathComponent).\(UUID().uuidString).tmp")
    let data = Data(BaselineFormat.write(baseline, scenarioID: id).utf8)
    guard FileManager.default.createFile(atPath: temporary, contents: data) else {
      throw BaselineWriteError(message: "cannot write \(temporary)")
    }
    guard rename(temporary, file) == 0 else {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(atPath: temporary)
      throw BaselineWriteError(message: "cannot move the new baseline into place at \(file): \(reason)")
    }
  }
}

/// A baseline that could not be written.
public struct BaselineWriteError: Error, CustomStringConvertible {
  /// What went wrong.
  public var message: String
  public var description: String { message }
}
