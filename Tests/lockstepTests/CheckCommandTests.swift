import Foundation
import Testing

/// `lockstep check`: lists APIs without running; exit 1 on an unsupported one, 2 on bad input.
@Suite struct CheckCommandTests {
  @Test("`check` lists each side's APIs, exits 0 when all are supported and 1 on an unsupported one")
  func exitCodes() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let fine = try lockstep(["check", "basics/dense-layer-matmul"], in: workspace)
    #expect(fine.status == 0, Comment(rawValue: fine.stdout + fine.stderr))
    #expect(fine.stdout.contains("    supported    tf.compat.v1.placeholder"))
    #expect(fine.stdout.contains("Scenarios/basics/dense-layer-matmul.yaml:"))
    #expect(fine.stdout.contains("No unsupported API"))

    try writeScenario(
      "Scenarios/basics/det.yaml", in: workspace, v1: "import tensorflow as tf\n  x = tf.linalg.det(tf.ones([2, 2]))",
      v2: "import numpy as np\n  x = np.ones(2)")
    let unsupported = try lockstep(["check", "basics/det", "--json", "check.json"], in: workspace)
    #expect(unsupported.status == 1)
    #expect(unsupported.stdout.contains("    unsupported  tf.linalg.det  Scenarios/basics/det.yaml:4:7"))
    #expect(unsupported.stdout.contains("Unsupported APIs are what stop a program"))
    let json = try String(contentsOf: workspace.appendingPathComponent("check.json"), encoding: .utf8)
    #expect(json.contains("\"status\": \"unsupported\""))
    // Nothing ran: no report was written.
    #expect(!FileManager.default.fileExists(atPath: workspace.appendingPathComponent(".lockstep/reports").path))

    try writeScenario("Scenarios/basics/broken.yaml", in: workspace, v1: "x = (", v2: "x = 1")
    let broken = try lockstep(["check", "basics/broken"], in: workspace)
    #expect(broken.status == 2)
    #expect(broken.stderr.contains("Scenarios/basics/broken.yaml:3:7: error: SyntaxError"))
  }
}
