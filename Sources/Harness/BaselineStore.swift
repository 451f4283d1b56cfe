import Foundation

/// Reads and writes baseline files under a `Baselines/` directory, one per scenario id.
public struct BaselineStore: Sendable {
  /// The `Baselines/` directory.
  public var directory: String

  /// A store rooted at `directory`.
  public init(directory: String) {
    self.directory = directory
  }

  /// The file extension of baseline files.
  public static let fileExtension = "baseline"

  /// The path of a scenario's baseline.
  public func path(for id: String) -> String {
    (directory as NSString).appendingPathComponent("\(id).\(Self.fileExtension)")
  }

  /// What was found on disk for a scenario.
  public enum Lookup: Sendable {
    case missing
    case unreadable(String)
    case found(Baseline)
  }

  /// Reads a scenario's baseline.
  public func read(_ id: String) -> Lookup {
    let file = path(for: id)
    guard FileManager.default.fileExists(atPath: file) else { return .missing }
    guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
      return .unreadable("\(file): cannot read the file")
    }
    do {
      return .found(try BaselineFormat.parse(text))
    } catch {
      return .unreadable("\(file):\(error.line): \(error.message)")
    }
  }

  /// Writes a baseline atomically: a temporary file in the same directory, then a rename, so
  /// an interrupted write never leaves a truncated baseline.
  public func write(_ baseline: Baseline, for id: String) throws {
    if ProcessInfo.processInfo.environment["CI"] != nil {
      throw BaselineWriteError(message: "refusing to write baselines: the CI environment variable is set")
    }
    let file = path(for: id)
    let folder = (file as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let temporary = (folder as NSString).appendingPathComponent(".\((file as NSString).lastPathComponent).\(UUID().uuidString).tmp")
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
