// Helpers the command-line tests share: running the built `lockstep`, scratch workspaces.
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The `lockstep` executable SwiftPM built beside the test bundle.
var lockstepExecutable: URL {
  let products = Bundle.main.bundleURL.deletingLastPathComponent()
  let beside = products.appendingPathComponent("lockstep")
  if FileManager.default.fileExists(atPath: beside.path) { return beside }
  return Bundle.main.bundleURL.appendingPathComponent("lockstep")
}

/// What a run of the executable printed and returned.
struct Invocation {
  var status: Int32
  var stdout: String
  var stderr: String
}

/// Runs `lockstep` in `directory`, reading both pipes before waiting so a full pipe cannot
/// deadlock the child.
func lockstep(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws
  -> Invocation
{
  let process = Process()
  process.executableURL = lockstepExecutable
  process.arguments = arguments
  process.currentDirectoryURL = directory
  var env = ProcessInfo.processInfo.environment
  env.removeValue(forKey: "CI")
  env.merge(environment) { _, new in new }
  process.environment = env
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  let stdout = out.fileHandleForReading.readDataToEndOfFile()
  let stderr = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return Invocation(
    status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
    stderr: String(decoding: stderr, as: UTF8.self))
}

/// A scratch copy of the bundled scenarios and baselines.
func scratchWorkspace() throws -> URL {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-cli-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  for folder in ["Scenarios", "Baselines"] {
    try FileManager.default.copyItem(
      at: repositoryRoot.appendingPathComponent(folder), to: directory.appendingPathComponent(folder))
  }
  return directory
}

/// Writes a scenario file whose programs are the given (already indented after their first line) lines.
func writeScenario(_ relativePath: String, in workspace: URL, v1: String, v2: String) throws {
  let text = "summary: a test scenario\nv1: |\n  \(v1)\nv2: |\n  \(v2)\n"
  try text.write(to: workspace.appendingPathComponent(relativePath), atomically: true, encoding: .utf8)
}

/// Rewrites a file of a workspace through `transform`.
func edit(_ relativePath: String, in workspace: URL, _ transform: (String) -> String) throws {
  let file = workspace.appendingPathComponent(relativePath)
  try transform(String(contentsOf: file, encoding: .utf8)).write(to: file, atomically: true, encoding: .utf8)
}

/// `xmllint`, when installed (`make deps` installs it with libxml2-utils).
let xmllint: URL? = ["/usr/bin/xmllint", "/usr/local/bin/xmllint", "/opt/homebrew/bin/xmllint"]
  .map(URL.init(fileURLWithPath:)).first { FileManager.default.isExecutableFile(atPath: $0.path) }
