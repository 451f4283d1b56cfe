import Foundation

/// The `--junit` output: JUnit XML as CI dashboards read it (the Jenkins xUnit plugin's
/// `junit-10.xsd`, kept in `docs/`). One `testsuite`; one `testcase` per scenario run, with
/// `classname` its area (the folder under `Scenarios/`) and `name` the scenario; a failing
/// scenario has a `failure` whose message is its summary line and whose text is its report;
/// a scenario file or program that is bad input has an `error`. Properties record the profile
/// and the Lockstep version.
public enum JUnitReport {
  /// Renders the records of a run.
  public static func render(_ records: [RunRecord], summary: RunSummary, profile: String) -> String {
    let errors = records.filter { record in record.result.map(\.hasSyntaxError) ?? true }.count
    let failures = records.filter { record in record.result.map { !$0.passed && !$0.hasSyntaxError } ?? false }.count
    var xml = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>"]
    xml.append(
      "<testsuite name=\"lockstep\" tests=\"\(records.count)\" failures=\"\(failures)\" errors=\"\(errors)\" "
        + "skipped=\"0\" time=\"\(seconds(summary.seconds))\">")
    xml.append("  <properties>")
    xml.append("    <property name=\"profile\" value=\"\(escaped(profile))\"/>")
    xml.append("    <property name=\"lockstepVersion\" value=\"\(escaped(ScenarioRunner.lockstepVersion))\"/>")
    xml.append("  </properties>")
    for record in records {
      let (area, name) = split(record.entry.id)
      let open =
        "  <testcase classname=\"\(escaped(area))\" name=\"\(escaped(name))\" time=\"\(seconds(record.seconds))\""
      switch record.item {
      case let .invalid(error):
        xml.append(open + ">")
        xml.append(
          "    <error type=\"ScenarioError\" message=\"\(escaped(error.description))\">"
            + "\(escaped(error.description, inAttribute: false))</error>"
        )
        xml.append("  </testcase>")
      case let .ran(result) where result.passed:
        xml.append(open + "/>")
      case let .ran(result):
        let kind = result.hasSyntaxError ? "error" : "failure"
        let type = result.hasSyntaxError ? "SyntaxError" : "ScenarioFailure"
        xml.append(open + ">")
        xml.append(
          "    <\(kind) type=\"\(type)\" message=\"\(escaped(Report.summaryLine(result)))\">"
            + "\(escaped(Report.render(result), inAttribute: false))</\(kind)>")
        xml.append("  </testcase>")
      }
    }
    xml.append("</testsuite>")
    return xml.joined(separator: "\n") + "\n"
  }

  /// `basics/reshape` → (`basics`, `reshape`); a scenario outside any folder has area `.`.
  static func split(_ id: String) -> (area: String, name: String) {
    guard let slash = id.lastIndex(of: "/") else { return (".", id) }
    return (String(id[..<slash]), String(id[id.index(after: slash)...]))
  }

  private static func seconds(_ value: Double) -> String {
    String(format: "%.3f", max(0, value))
  }

  /// Text as XML attribute value or element content: markup characters as entities, line
  /// breaks in attributes as character references (so they survive), and characters XML 1.0
  /// cannot hold as U+FFFD.
  static func escaped(_ text: String, inAttribute: Bool = true) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "\n": result += inAttribute ? "&#10;" : "\n"
      case "\r": result += inAttribute ? "&#13;" : "\r"
      case "\t": result += inAttribute ? "&#9;" : "\t"
      case "\u{0}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": result += "\u{FFFD}"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }
}

/// The `--junit` file, written when the run is over.
public struct JUnitSink: RunSink {
  /// Where to write.
  public var path: String
  /// The profile property: the `--profile` given, else each scenario's own.
  public var profile: String

  /// A sink writing to `path`.
  public init(path: String, profile: String) {
    self.path = path
    self.profile = profile
  }

  /// Writes the document.
  public func finish(_ records: [RunRecord], summary: RunSummary) throws {
    try OutputError.write(Data(JUnitReport.render(records, summary: summary, profile: profile).utf8), to: path)
  }
}
