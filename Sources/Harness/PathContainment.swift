import Foundation

/// Keeps scenario and baseline paths inside their trees: a symlink (of the file or of a
/// folder on its way) that leads out of `Scenarios/` or `Baselines/` is refused, never
/// followed.
enum PathContainment {
  /// Where `path` really is when symlinks take it outside `base`; nil when it stays inside.
  static func escape(of path: String, from base: String) -> String? {
    let root = resolved(base) + "/"
    let target = resolved(path)
    return target.hasPrefix(root) ? nil : target
  }

  /// `path` with every symlink resolved, also when its last components do not exist yet (a
  /// baseline about to be written): the longest existing prefix is resolved and the rest
  /// appended.
  static func resolved(_ path: String) -> String {
    var existing = URL(fileURLWithPath: path).standardizedFileURL
    var missing: [String] = []
    while existing.path != "/", !FileManager.default.fileExists(atPath: existing.path) {
      missing.insert(existing.lastPathComponent, at: 0)
      existing.deleteLastPathComponent()
    }
    var result = existing.resolvingSymlinksInPath()
    for component in missing { result.appendPathComponent(component) }
    return result.path
  }
}
