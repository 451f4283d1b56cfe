import Foundation

/// The public names of TensorFlow's and NumPy's modules in one version, generated from the
/// real packages by `Tools/dump_tf_api.py`.
///
/// It lets Lockstep answer as TensorFlow would for a name TF does not have (AttributeError
/// naming the module's real `__name__`) and report a name TF has but Lockstep does not
/// model as `unsupported`.
public struct APITable: Sendable {
  /// What a module member is.
  public enum Member: Sendable, Equatable {
    /// A submodule, by its real `__name__`.
    case module(String)
    /// Any other attribute: function, class, constant.
    case value
  }

  /// Members of each module, keyed by the module's real `__name__`.
  public let modules: [String: [String: Member]]

  /// Parses the table's text form.
  public init(text: String) {
    var modules: [String: [String: Member]] = [:]
    var current: String?
    for line in text.split(separator: "\n") {
      if line.hasPrefix("#") { continue }
      if line.hasPrefix("module ") {
        let name = String(line.dropFirst("module ".count))
        current = name
        modules[name, default: [:]] = modules[name] ?? [:]
      } else if let module = current {
        if line.hasPrefix("+") {
          let parts = line.dropFirst().split(separator: " ")
          modules[module]![String(parts[0])] = .module(String(parts[1]))
        } else {
          modules[module]![String(line)] = .value
        }
      }
    }
    self.modules = modules
  }

  /// Loads the bundled table of a profile.
  static func load(_ profile: Profile) throws -> APITable {
    guard let url = Bundle.module.url(forResource: profile.apiTable, withExtension: "txt", subdirectory: "Resources")
    else {
      throw CocoaError(.fileNoSuchFile)
    }
    return APITable(text: try String(contentsOf: url, encoding: .utf8))
  }

  /// A member of a module, or nil when the real module has no such attribute.
  public func member(_ name: String, of module: String) -> Member? {
    modules[module]?[name]
  }

  /// Resolves a dotted public path (`tensorflow.compat.v1`) to a module's real name.
  public func resolveModule(_ path: String) -> String? {
    let parts = path.split(separator: ".").map(String.init)
    guard let root = parts.first, modules[root] != nil else { return nil }
    var current = root
    for part in parts.dropFirst() {
      guard case let .module(next)? = member(part, of: current) else { return nil }
      current = next
    }
    return current
  }
}
