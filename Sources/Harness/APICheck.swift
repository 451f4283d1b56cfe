import Foundation
import PythonSyntax
import TFModel

/// `lockstep check`: every TensorFlow and NumPy API each program of a scenario references,
/// resolved through its imports and aliases, with what Lockstep does with each, found
/// without running anything. The profile's API table and the runtime's registered
/// implementations answer, the same tables a run looks names up in.
public struct APICheck: Sendable {
  /// One program's references, or why it could not be read.
  public struct Side: Sendable {
    /// `v1` or `v2`.
    public var name: String
    /// The APIs it references, in order of first use.
    public var references: [APIReference]
    /// The located syntax error when the program does not parse.
    public var error: String?
  }

  /// The scenario id.
  public var id: String
  /// The scenario file.
  public var path: String
  /// The TensorFlow version whose API answered.
  public var profile: Profile
  /// Its two programs.
  public var sides: [Side]

  /// Checks both programs of `scenario` under `profile` (default: the scenario's own).
  public init(_ scenario: Scenario, profile: Profile? = nil) {
    id = scenario.id
    path = scenario.path
    self.profile = profile ?? scenario.profile
    let profile = self.profile
    sides = [("v1", scenario.v1), ("v2", scenario.v2)].map { name, source in
      Self.check(source, name: name, profile: profile)
    }
  }

  private static func check(_ source: SourceFile, name: String, profile: Profile) -> Side {
    let program: [Stmt]
    do {
      program = try Parser.parse(source.text)
    } catch {
      return Side(name: name, references: [], error: error.rendered(in: source))
    }
    let runtime: TFRuntime
    do {
      runtime = try TFRuntime(profile: profile)
    } catch {
      return Side(name: name, references: [], error: error.rendered(in: source))
    }
    return Side(
      name: name, references: APIReferenceCollector.references(in: program, source: source, runtime: runtime),
      error: nil)
  }

  /// Whether a program references an API Lockstep does not model.
  public var hasUnsupported: Bool {
    sides.contains { $0.references.contains { $0.status == .unsupported } }
  }

  /// Whether a program could not be parsed.
  public var hasError: Bool { sides.contains { $0.error != nil } }

  // MARK: - Text

  /// The check as text: the scenario, then per side one line per API with its status, path
  /// and every place it is used (`path:line:col`, then `line:col` for the others).
  public var rendered: String {
    var lines = ["\(id)  (\(path), TensorFlow \(profile.version))"]
    for side in sides {
      if let error = side.error {
        lines.append("  \(side.name): cannot be read")
        lines += error.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
        continue
      }
      guard !side.references.isEmpty else {
        lines.append("  \(side.name): no TensorFlow or NumPy API")
        continue
      }
      lines.append("  \(side.name):")
      let width = side.references.map(\.path.count).max() ?? 0
      for reference in side.references {
        let status = reference.status.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
        let api = reference.path.padding(toLength: width, withPad: " ", startingAt: 0)
        lines.append("    \(status)  \(api)  \(places(reference.locations))")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// `path:3:5, 7:5, 9:1`.
  private func places(_ locations: [SourcePosition]) -> String {
    guard let first = locations.first else { return path }
    return (["\(path):\(first)"] + locations.dropFirst().map(\.description)).joined(separator: ", ")
  }

  /// The closing lines: counts of distinct APIs by status, and what stops a program.
  public static func summary(_ checks: [APICheck]) -> String {
    var byStatus: [APIReference.Status: Set<String>] = [:]
    for check in checks {
      for side in check.sides {
        for reference in side.references { byStatus[reference.status, default: []].insert(reference.path) }
      }
    }
    let count = { (status: APIReference.Status) in byStatus[status]?.count ?? 0 }
    let total = APIReference.Status.allCases.reduce(0) { $0 + count($1) }
    let scenarios = checks.count == 1 ? "1 scenario" : "\(checks.count) scenarios"
    var text =
      "\(total) APIs referenced in \(scenarios): \(count(.supported)) supported, \(count(.unsupported)) unsupported, "
      + "\(count(.notInTF)) not in TF (this profile)\n"
    if count(.unsupported) > 0 {
      text +=
        "Unsupported APIs are what stop a program: Lockstep raises `unsupported` at the first one a run reaches "
        + "(\((byStatus[.unsupported] ?? []).sorted().joined(separator: ", "))).\n"
    } else {
      text += "No unsupported API: nothing listed here stops a program in Lockstep.\n"
    }
    if count(.notInTF) > 0 {
      text += "Names not in TF raise AttributeError in real TensorFlow too (check the spelling and the profile).\n"
    }
    return text
  }

  // MARK: - JSON

  /// The checks as a JSON document: per scenario and side, each API with its status and
  /// places, and the summary counts.
  public static func json(_ checks: [APICheck]) -> String {
    var writer = JSONWriter()
    writer.beginObject()
    writer.member("format", 1)
    writer.key("scenarios")
    writer.beginArray()
    for check in checks {
      writer.beginObject()
      writer.member("id", check.id)
      writer.member("path", check.path)
      writer.member("profile", check.profile.version)
      for side in check.sides {
        writer.key(side.name)
        writer.beginObject()
        writer.member("error", side.error)
        writer.key("apis")
        writer.beginArray()
        for reference in side.references {
          writer.beginObject()
          writer.member("api", reference.path)
          writer.member("status", reference.status.rawValue)
          writer.member("locations", strings: reference.locations.map { "\(check.path):\($0)" })
          writer.endObject()
        }
        writer.endArray()
        writer.endObject()
      }
      writer.endObject()
    }
    writer.endArray()
    writer.member("unsupported", checks.contains(where: \.hasUnsupported))
    writer.endObject()
    writer.newlineAtEnd()
    return String(decoding: writer.bytes, as: UTF8.self)
  }
}
