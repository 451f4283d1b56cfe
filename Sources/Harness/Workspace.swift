import Foundation

/// A project directory holding `Scenarios/` and `Baselines/`, and how scenario arguments
/// (ids, paths, filters) resolve in it.
public struct Workspace: Sendable {
  /// The project root.
  public var root: String

  /// Where pending baselines go (`LOCKSTEP_PENDING_DIR`); nil puts them beside the baselines.
  public var pendingDirectory: String?

  /// A workspace at `root`.
  public init(root: String, pendingDirectory: String? = nil) {
    self.root = root
    self.pendingDirectory = pendingDirectory
  }

  /// The `Scenarios/` directory.
  public var scenariosDirectory: String { path("Scenarios") }
  /// The baseline store.
  public var baselines: BaselineStore {
    BaselineStore(directory: path("Baselines"), pendingDirectory: pendingDirectory)
  }
  /// Where text reports go.
  public var reportsDirectory: String { path(".lockstep/reports") }
  /// The lock file processes that change baselines hold.
  public var baselinesLockPath: String { path(".lockstep/baselines.lock") }

  /// A path inside the workspace; relative to the current directory when the root is `.`,
  /// so messages read `Scenarios/x.yaml:3:5`.
  private func path(_ relative: String) -> String {
    root == "." ? relative : (root as NSString).appendingPathComponent(relative)
  }

  /// A scenario file with its id.
  public struct Entry: Sendable, Equatable {
    /// The scenario id (`basics/x`).
    public var id: String
    /// The scenario file.
    public var path: String
  }

  /// Every bundled scenario, sorted by id.
  public func allScenarios() -> [Entry] {
    let base = scenariosDirectory
    guard let enumerator = FileManager.default.enumerator(atPath: base) else { return [] }
    var entries: [Entry] = []
    for case let relative as String in enumerator where relative.hasSuffix(".yaml") {
      entries.append(
        Entry(id: String(relative.dropLast(".yaml".count)), path: (base as NSString).appendingPathComponent(relative)))
    }
    return entries.sorted { $0.id < $1.id }
  }

  /// A selected scenario file, loaded once: the scenario, or why it cannot be used.
  public struct Selected: Sendable {
    /// The file and its id.
    public var entry: Workspace.Entry
    /// The loaded scenario, or the error loading it.
    public var scenario: Result<Scenario, ScenarioError>

    /// An entry and what loading it gave.
    public init(entry: Workspace.Entry, scenario: Result<Scenario, ScenarioError>) {
      self.entry = entry
      self.scenario = scenario
    }

    /// Loads the entry's file.
    public init(_ entry: Workspace.Entry) {
      self.entry = entry
      scenario = Result { () throws(ScenarioError) in try ScenarioLoader.load(path: entry.path, id: entry.id) }
    }
  }

  /// Ids with a baseline but no scenario file: left behind when a scenario was renamed or
  /// deleted.
  public func orphanedBaselines() -> [String] {
    let scenarios = Set(allScenarios().map(\.id))
    return baselines.recordedIDs().filter { !scenarios.contains($0) }
  }

  /// Resolves command-line selectors: a scenario id, a path to a `.yaml` file anywhere, or
  /// nothing (every bundled scenario); then keeps those whose id, one of whose tags, or whose
  /// source matches `filter` (a substring, or a glob with `*`; case does not matter).
  public func select(_ selectors: [String], filter: String?) throws(ScenarioError) -> [Entry] {
    try load(selectors, filter: filter).map(\.entry)
  }

  /// Resolves selectors as `select` does and loads each file once; a file that cannot be
  /// loaded matches a filter by its id only. With a shard, keeps only that shard's slice of
  /// the selection.
  public func load(_ selectors: [String], filter: String?, shard: Shard? = nil) throws(ScenarioError) -> [Selected] {
    var entries: [Entry] = []
    if selectors.isEmpty {
      entries = allScenarios()
    } else {
      for selector in selectors {
        entries.append(try resolve(selector))
      }
    }
    if let shard { entries = entries.filter { shard.contains($0.id) } }
    let loaded = entries.map { entry in
      // A bundled scenario that is a symlink out of Scenarios/ is refused, not read.
      guard entry.path.hasPrefix(scenariosDirectory + "/"), let target = outsideScenarios(entry.path) else {
        return Selected(entry)
      }
      return Selected(
        entry: entry,
        scenario: .failure(
          ScenarioError(path: entry.path, "the scenario file resolves to \(target), outside Scenarios/ (a symlink?)")))
    }
    guard let filter else { return loaded }
    return loaded.filter { selected in
      if Self.matches(filter, selected.entry.id) { return true }
      guard case let .success(scenario) = selected.scenario else { return false }
      return scenario.tags.contains { Self.matches(filter, $0) }
        || scenario.source.map { Self.matches(filter, $0) } == true
    }
  }

  /// Whether an id, tag or source matches a filter pattern, ignoring case.
  public static func matches(_ pattern: String, _ text: String) -> Bool {
    let (pattern, text) = (pattern.lowercased(), text.lowercased())
    guard pattern.contains("*") else { return text.contains(pattern) }
    return fnmatch(pattern, text, 0) == 0
  }

  /// Where `path` really is when symlinks take it outside `Scenarios/`; nil when it stays inside.
  private func outsideScenarios(_ path: String) -> String? {
    PathContainment.escape(of: path, from: scenariosDirectory)
  }

  private func resolve(_ selector: String) throws(ScenarioError) -> Entry {
    // An id names a file under Scenarios/ (and its baseline under Baselines/): never outside.
    if !selector.hasSuffix(".yaml"), selector.hasPrefix("/") || selector.split(separator: "/").contains("..") {
      throw ScenarioError(
        path: selector,
        "scenario id '\(selector)' points outside Scenarios/ "
          + "(ids are relative paths without `..`; give a .yaml path to run a file elsewhere)"
      )
    }
    let bundled = (scenariosDirectory as NSString).appendingPathComponent(selector + ".yaml")
    if FileManager.default.fileExists(atPath: bundled) { return Entry(id: selector, path: bundled) }
    if selector.hasSuffix(".yaml"), FileManager.default.fileExists(atPath: selector) {
      let absolute = URL(fileURLWithPath: selector).standardizedFileURL.path
      let scenarios = URL(fileURLWithPath: scenariosDirectory).standardizedFileURL.path + "/"
      if absolute.hasPrefix(scenarios) {
        return Entry(id: String(absolute.dropFirst(scenarios.count).dropLast(".yaml".count)), path: selector)
      }
      return Entry(id: String((selector as NSString).lastPathComponent.dropLast(".yaml".count)), path: selector)
    }
    throw ScenarioError(
      path: selector,
      "no scenario '\(selector)' (give an id under Scenarios/ or a path to a .yaml file; `lockstep list` shows the ids)"
    )
  }
}
