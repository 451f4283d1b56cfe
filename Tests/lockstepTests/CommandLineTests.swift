import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite(.serialized) struct CommandLineTests {
  @Test("`lockstep run` passes every bundled scenario, prints a summary and exits 0")
  func runAll() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let result = try lockstep(["run"], in: workspace)
    #expect(result.status == 0, Comment(rawValue: result.stdout + result.stderr))
    #expect(result.stdout.contains(" passed, 0 failed, 0 errors, 0 missing baselines"))
    #expect(
      FileManager.default.fileExists(
        atPath: workspace.appendingPathComponent(".lockstep/reports/article/session-vs-eager.txt").path))
  }

  @Test("a changed baseline value fails with exit 1 and a report naming the index and both values")
  func changedBaseline() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let file = workspace.appendingPathComponent("Baselines/basics/dense-layer-matmul.baseline")
    let text = try String(contentsOf: file, encoding: .utf8)
    let lines = text.components(separatedBy: "\n")
    let valueLine = try #require(lines.firstIndex { $0.hasPrefix("  ") })
    var values = lines[valueLine].split(separator: " ").map(String.init)
    let original = values[1]
    values[1] = "123.5"
    var edited = lines
    edited[valueLine] = "  " + values.joined(separator: " ")
    try edited.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)

    let result = try lockstep(["run", "basics/dense-layer-matmul"], in: workspace)
    #expect(result.status == 1)
    let report = try String(
      contentsOf: workspace.appendingPathComponent(".lockstep/reports/basics/dense-layer-matmul.txt"), encoding: .utf8)
    #expect(report.contains("DIFFERS"))
    #expect(report.contains("[0,1]: baseline 123.5 vs now \(original)"), Comment(rawValue: report))
  }

  @Test("a Python syntax error is reported as file:line:col and exits 2")
  func syntaxError() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    try writeScenario(
      "broken.yaml", in: workspace, v1: "import tensorflow as tf\n  x = tf.constant([1.0, 2.0)", v2: "x = 1")
    let result = try lockstep(["run", "broken.yaml"], in: workspace)
    #expect(result.status == 2)
    #expect(result.stderr.contains("broken.yaml:4:28: error: SyntaxError"), Comment(rawValue: result.stderr))
  }

  @Test("a bad scenario file is one located error with its line and a caret, and exits 2")
  func badScenarioFile() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    try "summary: x\noutputs: 5\nv1: |\n  z = 1\nv2: |\n  z = 1\n".write(
      to: workspace.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
    let result = try lockstep(["run", "bad.yaml"], in: workspace)
    #expect(result.status == 2)
    #expect(
      result.stderr.contains(
        "bad.yaml:2:10: error: 'outputs' must be a list of variable names (`outputs: [z]`), not '5'\noutputs: 5\n"
          + "         ^\n"), Comment(rawValue: result.stderr))
  }

  @Test("a merge-conflicted baseline fails its scenario, naming the file and line")
  func conflictedBaseline() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    try edit("Baselines/basics/mixed-dtype-add.baseline", in: workspace) {
      $0.replacingOccurrences(of: "\nv1 error", with: "\n<<<<<<< HEAD\nv1 error")
    }
    let result = try lockstep(["run", "basics/mixed-dtype-add"], in: workspace)
    #expect(result.status == 1)
    #expect(
      result.stderr.contains("Baselines/basics/mixed-dtype-add.baseline:9:1: error: unresolved merge conflict"),
      Comment(rawValue: result.stderr))
  }

  @Test("`baseline update` on an untouched tree reports every scenario unchanged and writes nothing")
  func updateUnchanged() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let before = try FileManager.default.contentsOfDirectory(
      atPath: workspace.appendingPathComponent("Baselines/basics").path
    ).sorted()
    let result = try lockstep(["baseline", "update"], in: workspace)
    #expect(result.status == 0, Comment(rawValue: result.stderr))
    let lines = result.stdout.split(separator: "\n")
    #expect(!lines.isEmpty)
    #expect(lines.allSatisfy { $0.hasPrefix("unchanged") }, Comment(rawValue: result.stdout))
    let after = try FileManager.default.contentsOfDirectory(
      atPath: workspace.appendingPathComponent("Baselines/basics").path
    ).sorted()
    #expect(before == after)
  }

  @Test("`run --jobs 2` prints, reports and writes JSON byte for byte as `run --jobs 1`")
  func jobsAreDeterministic() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    var outputs: [[String: Data]] = []
    for jobs in ["1", "2"] {
      let result = try lockstep(["run", "--jobs", jobs, "--json", "run.json"], in: workspace)
      #expect(result.status == 0)
      // Everything but the closing timing line.
      let lines = result.stdout.split(separator: "\n").filter { !$0.hasPrefix("time ") }
      var files = ["stdout": Data(lines.joined(separator: "\n").utf8)]
      files["run.json"] = try Data(contentsOf: workspace.appendingPathComponent("run.json"))
      let reports = workspace.appendingPathComponent(".lockstep/reports")
      for case let relative as String in FileManager.default.enumerator(atPath: reports.path)!
      where relative.hasSuffix(".txt") {
        files[relative] = try Data(contentsOf: reports.appendingPathComponent(relative))
      }
      try FileManager.default.removeItem(at: reports)
      outputs.append(files)
    }
    #expect(outputs[0].count > 20)
    #expect(outputs[0].keys.sorted() == outputs[1].keys.sorted())
    for (name, data) in outputs[0] { #expect(outputs[1][name] == data, "\(name) differs") }
  }

  @Test(
    "`--junit` writes one testcase per scenario that validates against docs/junit-10.xsd",
    .enabled(if: xmllint != nil, "xmllint is not installed: `make deps` installs libxml2-utils"))
  func junit() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    try writeScenario("Scenarios/basics/broken.yaml", in: workspace, v1: "x = (", v2: "x = 1")
    try FileManager.default.removeItem(
      at: workspace.appendingPathComponent("Baselines/pitfalls/from-logits-default.baseline"))
    let result = try lockstep(["run", "--junit", "report.xml"], in: workspace)
    #expect(result.status == 2)
    let xml = try String(contentsOf: workspace.appendingPathComponent("report.xml"), encoding: .utf8)
    let scenarios = try FileManager.default.subpathsOfDirectory(
      atPath: workspace.appendingPathComponent("Scenarios").path
    )
    .filter { $0.hasSuffix(".yaml") }
    #expect(xml.components(separatedBy: "<testcase ").count - 1 == scenarios.count)
    #expect(xml.contains("<testcase classname=\"pitfalls\" name=\"from-logits-default\""))
    #expect(xml.contains("<failure type=\"ScenarioFailure\" message=\"FAIL  pitfalls/from-logits-default"))
    #expect(xml.contains("<error type=\"SyntaxError\""))
    #expect(xml.contains("<property name=\"profile\" value=\"2.21\"/>"))
    #expect(xml.contains("failures=\"1\" errors=\"1\""))

    let process = Process()
    process.executableURL = xmllint
    process.arguments = [
      "--noout", "--schema", repositoryRoot.appendingPathComponent("docs/junit-10.xsd").path, "report.xml",
    ]
    process.currentDirectoryURL = workspace
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, Comment(rawValue: message))
  }

  @Test("`--shard 1/3` … `3/3` run every scenario exactly once; a bad shard exits 2")
  func shards() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let all = try lockstep(["list"], in: workspace).stdout.split(separator: "\n").map { $0.split(separator: " ")[0] }
    var ran: [Substring] = []
    for index in 1...3 {
      let result = try lockstep(["run", "--shard", "\(index)/3"], in: workspace)
      #expect(result.status == 0)
      ran += result.stdout.split(separator: "\n").filter { $0.hasPrefix("PASS") }.map { $0.split(separator: " ")[1] }
    }
    #expect(ran.sorted() == all.sorted())
    let bad = try lockstep(["run", "--shard", "4/3"], in: workspace)
    #expect(bad.status == 2)
  }

  @Test("a change within tolerance passes but is reported as drift, with the largest |Δ|")
  func driftWithinTolerance() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let file = workspace.appendingPathComponent("Baselines/basics/dense-layer-matmul.baseline")
    var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
    let valueLine = try #require(lines.firstIndex { $0.hasPrefix("  ") })
    var values = lines[valueLine].split(separator: " ").map(String.init)
    let original = try #require(Float(values[0]))
    values[0] = String(original + 2e-6)
    lines[valueLine] = "  " + values.joined(separator: " ")
    try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)

    let result = try lockstep(["run", "basics/dense-layer-matmul"], in: workspace)
    #expect(result.status == 0, Comment(rawValue: result.stdout))
    #expect(result.stdout.contains("drift within tolerance, largest |Δ| "))
    #expect(result.stdout.contains("1 passed, 0 failed, 0 errors, 0 missing baselines, 1 drifted within tolerance"))
    let report = try String(
      contentsOf: workspace.appendingPathComponent(".lockstep/reports/basics/dense-layer-matmul.txt"), encoding: .utf8)
    #expect(report.contains("Baseline: matches; drift within tolerance: largest |Δ| "), Comment(rawValue: report))
  }

  @Test("`baseline update` refuses, exit 1, a verdict that contradicts `expect` unless --force")
  func updateRefusesContradiction() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let text = "summary: wrong expectation\nexpect: differ\noutputs: [x]\nv1: |\n  x = 1\nv2: |\n  x = 1\n"
    try text.write(
      to: workspace.appendingPathComponent("Scenarios/basics/contradiction.yaml"), atomically: true, encoding: .utf8)
    let baseline = workspace.appendingPathComponent("Baselines/basics/contradiction.baseline")
    let refused = try lockstep(["baseline", "update", "basics/contradiction"], in: workspace)
    #expect(refused.status == 1)
    #expect(refused.stdout.contains("refused    basics/contradiction  (verdict equivalent contradicts expect: differ)"))
    #expect(refused.stderr.contains("basics/contradiction"))
    #expect(!FileManager.default.fileExists(atPath: baseline.path))
    let forced = try lockstep(["baseline", "update", "--force", "--accept", "basics/contradiction"], in: workspace)
    #expect(forced.status == 0)
    #expect(FileManager.default.fileExists(atPath: baseline.path))
  }

  @Test(
    "update round trip: edit a program, `update` leaves a pending file, `review` shows the drift, `accept` applies it")
  func pendingRoundTrip() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let id = "basics/broadcasting-outer"
    let scenario = workspace.appendingPathComponent("Scenarios/\(id).yaml")
    let baseline = workspace.appendingPathComponent("Baselines/\(id).baseline")
    let pending = workspace.appendingPathComponent("Baselines/\(id).baseline.pending")
    let before = try String(contentsOf: baseline, encoding: .utf8)
    let text = try String(contentsOf: scenario, encoding: .utf8)
    let edited = text.replacingOccurrences(of: "[1.0, 2.0, 3.0]", with: "[1.0, 2.0, 3.5]")
    try #require(edited != text, "the scenario no longer holds the values this test edits")
    try edited.write(to: scenario, atomically: true, encoding: .utf8)

    let update = try lockstep(["baseline", "update", id], in: workspace)
    #expect(update.status == 0, Comment(rawValue: update.stderr))
    #expect(update.stdout.contains("changed    \(id)"))
    #expect(update.stdout.contains("(pending)"))
    #expect(try String(contentsOf: baseline, encoding: .utf8) == before, "update must not touch the baseline")
    #expect(FileManager.default.fileExists(atPath: pending.path))

    let review = try lockstep(["baseline", "review"], in: workspace)
    #expect(review.status == 0)
    #expect(review.stdout.contains("\(id): largest |Δ|"), Comment(rawValue: review.stdout))
    #expect(review.stdout.contains(" elements changed; largest |Δ| "))
    #expect(review.stdout.contains("1 pending"))

    let accept = try lockstep(["baseline", "accept", id], in: workspace)
    #expect(accept.status == 0)
    #expect(accept.stdout == "accepted  \(id)\n")
    #expect(!FileManager.default.fileExists(atPath: pending.path))
    let after = try String(contentsOf: baseline, encoding: .utf8)
    #expect(after != before)
    #expect(try lockstep(["run", id], in: workspace).status == 0)
    #expect(try lockstep(["baseline", "review"], in: workspace).stdout == "no pending baselines\n")
  }

  @Test("record modes: --record missing records only missing baselines; CI forces never; reject deletes")
  func recordModes() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let id = "basics/broadcasting-outer"
    try FileManager.default.removeItem(at: workspace.appendingPathComponent("Baselines/\(id).baseline"))
    let pendingDirectory = workspace.appendingPathComponent("pending")
    let environment = ["LOCKSTEP_PENDING_DIR": pendingDirectory.path]

    let underCI = try lockstep(
      ["run", "--record", "all"], in: workspace, environment: environment.merging(["CI": "1"]) { $1 })
    #expect(underCI.stdout.hasPrefix("record mode never: CI is set"))
    #expect(!FileManager.default.fileExists(atPath: pendingDirectory.path))

    let missing = try lockstep(
      ["run"], in: workspace, environment: environment.merging(["LOCKSTEP_RECORD": "missing"]) { $1 })
    #expect(missing.status == 1)
    #expect(missing.stdout.contains("new        \(id)  (pending)"))
    let written = try FileManager.default.subpathsOfDirectory(atPath: pendingDirectory.path).filter {
      $0.hasSuffix(".pending")
    }
    #expect(written == ["\(id).baseline.pending"])

    let failed = try lockstep(
      ["run", "--record", "failed", "article/session-vs-eager"], in: workspace, environment: environment)
    #expect(failed.status == 0)
    #expect(!failed.stdout.contains("pending"), "a matching baseline is not re-recorded")

    #expect(
      try lockstep(["baseline", "reject", "--filter", "BROADCASTING"], in: workspace, environment: environment).status
        == 0)
    #expect(
      try FileManager.default.subpathsOfDirectory(atPath: pendingDirectory.path).filter { $0.hasSuffix(".pending") }
        .isEmpty)
    #expect(try lockstep(["run", "--record", "sometimes"], in: workspace).status == 2)
  }

  @Test("a full run lists baselines without a scenario; `baseline prune` removes them")
  func orphans() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let id = "basics/broadcasting-outer"
    try FileManager.default.moveItem(
      at: workspace.appendingPathComponent("Scenarios/\(id).yaml"),
      to: workspace.appendingPathComponent("Scenarios/basics/renamed.yaml"))
    let run = try lockstep(["run"], in: workspace)
    #expect(run.stdout.contains("baselines without a scenario: \(id); remove them with `lockstep baseline prune`"))
    #expect(!(try lockstep(["run", "--filter", "article"], in: workspace)).stdout.contains("without a scenario"))
    let prune = try lockstep(["baseline", "prune"], in: workspace)
    #expect(prune.status == 0)
    #expect(prune.stdout == "removed  \(id)\n")
    #expect(!FileManager.default.fileExists(atPath: workspace.appendingPathComponent("Baselines/\(id).baseline").path))
    #expect(try lockstep(["baseline", "prune"], in: workspace).stdout == "no baseline without a scenario\n")
  }

  @Test("`--changed-since REF` runs only scenarios whose scenario or baseline file changed")
  func changedSince() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    func git(_ arguments: [String]) throws {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"] + arguments
      process.currentDirectoryURL = workspace
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      process.waitUntilExit()
      try #require(process.terminationStatus == 0, "git \(arguments.joined(separator: " ")) failed")
    }
    try git(["init", "-q"])
    try git(["add", "."])
    try git(["commit", "-q", "-m", "scenarios"])
    #expect(
      try lockstep(["run", "--changed-since", "HEAD"], in: workspace).stdout
        == "no scenario or baseline changed since HEAD\n")

    let file = workspace.appendingPathComponent("Scenarios/article/session-vs-eager.yaml")
    try (String(contentsOf: file, encoding: .utf8) + "# edited\n").write(to: file, atomically: true, encoding: .utf8)
    try writeScenario("Scenarios/basics/untracked.yaml", in: workspace, v1: "x = 1", v2: "x = 1")
    let result = try lockstep(["run", "--changed-since", "HEAD"], in: workspace)
    let ran = result.stdout.split(separator: "\n").filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") }
      .map { $0.split(separator: " ")[1] }
    #expect(ran == ["article/session-vs-eager", "basics/untracked"], Comment(rawValue: result.stdout))
    #expect(try lockstep(["run", "--changed-since", "no-such-ref"], in: workspace).status == 2)
  }

  @Test("a second process changing baselines is refused while one holds the lock; stale temporary files go")
  func baselineLock() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let lockPath = workspace.appendingPathComponent(".lockstep/baselines.lock").path
    try FileManager.default.createDirectory(
      atPath: (lockPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    let descriptor = open(lockPath, O_CREAT | O_RDWR, 0o644)
    try #require(descriptor >= 0 && flock(descriptor, LOCK_EX | LOCK_NB) == 0)
    let refused = try lockstep(["baseline", "update", "article/session-vs-eager"], in: workspace)
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("another lockstep process is changing the baselines"))
    #expect(try lockstep(["run", "--record", "all", "article/session-vs-eager"], in: workspace).status == 2)
    flock(descriptor, LOCK_UN)
    close(descriptor)

    let leftover = workspace.appendingPathComponent("Baselines/basics/.broadcasting-outer.baseline.1234.tmp")
    try "partial".write(to: leftover, atomically: false, encoding: .utf8)
    #expect(try lockstep(["baseline", "update", "article/session-vs-eager"], in: workspace).status == 0)
    #expect(!FileManager.default.fileExists(atPath: leftover.path))
  }

  /// Kill points for `killDuringUpdate`: 12 by default so `swift test` stays fast;
  /// `LOCKSTEP_KILLS=100 swift test --filter killDuringUpdate` runs the full round.
  static let kills = ProcessInfo.processInfo.environment["LOCKSTEP_KILLS"].flatMap { Int($0) } ?? 12

  @Test("SIGKILL anywhere in `baseline update --accept` leaves each baseline old or new, and no temporary file")
  func killDuringUpdate() throws {
    let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-kill-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: workspace) }
    let names = ["a", "b", "c"]
    func writeFixture(scale: Int) throws {
      try FileManager.default.createDirectory(
        at: workspace.appendingPathComponent("Scenarios/k"), withIntermediateDirectories: true)
      for (offset, name) in names.enumerated() {
        let values = (0..<64).map { String(($0 + offset) * scale) + ".5" }.joined(separator: ", ")
        try writeScenario(
          "Scenarios/k/\(name).yaml", in: workspace, v1: "import numpy as np\n  print(np.array([\(values)]))",
          v2: "import numpy as np\n  print(np.array([\(values)]))")
      }
    }
    func baselines() throws -> [String] {
      try names.map { name in
        (try? String(
          contentsOf: workspace.appendingPathComponent("Baselines/k/\(name).baseline"), encoding: .utf8)) ?? ""
      }
    }
    try writeFixture(scale: 1)
    #expect(try lockstep(["baseline", "update", "--accept"], in: workspace).status == 0)
    let old = try baselines()
    try writeFixture(scale: 3)
    let started = Date()
    #expect(try lockstep(["baseline", "update", "--accept"], in: workspace).status == 0)
    let span = Date().timeIntervalSince(started)
    let new = try baselines()
    #expect(zip(old, new).allSatisfy { $0 != $1 && !$0.isEmpty })

    for kill in 0..<Self.kills {
      for (name, text) in zip(names, old) {
        try text.write(
          to: workspace.appendingPathComponent("Baselines/k/\(name).baseline"), atomically: true, encoding: .utf8)
      }
      let process = Process()
      process.executableURL = lockstepExecutable
      process.arguments = ["baseline", "update", "--accept", "--jobs", "1"]
      process.currentDirectoryURL = workspace
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      // Kill points spread evenly over (a little more than) one whole update.
      Thread.sleep(forTimeInterval: span * 1.2 * Double(kill) / Double(Self.kills))
      Glibc.kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      for (index, text) in try baselines().enumerated() {
        #expect(text == old[index] || text == new[index], "kill \(kill): \(names[index]).baseline is partial")
      }
      // The next process to take the lock clears what the killed one left.
      #expect(try lockstep(["baseline", "reject"], in: workspace).status == 0)
      let leftovers = try FileManager.default.subpathsOfDirectory(
        atPath: workspace.appendingPathComponent("Baselines").path
      ).filter { $0.hasSuffix(".tmp") }
      #expect(leftovers.isEmpty, "kill \(kill) left \(leftovers)")
    }
  }

  @Test("a baseline recorded under another profile is a drift, not stale; `baseline update` takes --profile")
  func profileDrift() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let file = workspace.appendingPathComponent("Baselines/basics/dense-layer-matmul.baseline")
    let text = try String(contentsOf: file, encoding: .utf8)
    try text.replacingOccurrences(of: "\nprofile 2.21\n", with: "\nprofile 2.20\n")
      .write(to: file, atomically: true, encoding: .utf8)
    let result = try lockstep(["run", "basics/dense-layer-matmul"], in: workspace)
    #expect(result.status == 0, Comment(rawValue: result.stdout))
    let report = try String(
      contentsOf: workspace.appendingPathComponent(".lockstep/reports/basics/dense-layer-matmul.txt"), encoding: .utf8)
    #expect(report.contains("Baseline: drift: recorded under profile 2.20, run under 2.21; outcomes match"))
    #expect(!report.contains("stale"))
    let update = try lockstep(["baseline", "update", "--profile", "1.15"], in: workspace)
    #expect(update.status == 2)
    #expect(update.stderr.contains("profile '1.15' is not supported"))
  }

  @Test("`baseline update` refuses to write when CI is set")
  func updateUnderCI() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let result = try lockstep(["baseline", "update"], in: workspace, environment: ["CI": "true"])
    #expect(result.status == 2)
  }

  @Test("`baseline update` refuses to record a scenario Lockstep cannot run")
  func updateRefusesUnsupported() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    try writeScenario(
      "Scenarios/basics/unsupported.yaml", in: workspace, v1: "import tensorflow as tf\n  y = tf.nn.softplus(1.0)",
      v2: "y = 1")
    let result = try lockstep(["baseline", "update", "basics/unsupported"], in: workspace)
    #expect(result.status == 1)
    #expect(result.stdout.hasPrefix("refused    basics/unsupported"))
    #expect(
      !FileManager.default.fileExists(
        atPath: workspace.appendingPathComponent("Baselines/basics/unsupported.baseline").path))
  }

  @Test("a missing baseline fails with the command that records it")
  func missingBaseline() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    try FileManager.default.removeItem(
      at: workspace.appendingPathComponent("Baselines/basics/broadcasting-outer.baseline"))
    let result = try lockstep(
      ["run", "--filter", "broadcasting"], in: workspace, environment: ["LOCKSTEP_ARTIFACTS": "artifacts"])
    #expect(result.status == 1)
    #expect(result.stdout.contains("1 missing baselines"))
    let artifacts = try FileManager.default.subpathsOfDirectory(
      atPath: workspace.appendingPathComponent("artifacts").path
    )
    .filter { $0.contains(".") }.sorted()
    #expect(artifacts == ["basics/broadcasting-outer.obtained.baseline", "basics/broadcasting-outer.txt"])
    let report = try String(
      contentsOf: workspace.appendingPathComponent(".lockstep/reports/basics/broadcasting-outer.txt"), encoding: .utf8)
    #expect(report.contains("record it with `lockstep baseline update basics/broadcasting-outer`"))
    #expect(result.stdout.contains("reproduce a failure: lockstep run basics/broadcasting-outer"))
    #expect(
      result.stdout.contains("record a baseline change: lockstep baseline update ID, then lockstep baseline review"))
    #expect(result.stdout.split(separator: "\n").last?.hasPrefix("time ") == true)
    #expect(result.stdout.contains(" scenarios/s"))
  }

  @Test("usage errors exit 2; --help exits 0")
  func usage() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    #expect(try lockstep(["run", "--bogus"], in: workspace).status == 2)
    #expect(try lockstep(["run", "no/such/scenario"], in: workspace).status == 2)
    #expect(try lockstep(["run", "--profile", "1.15"], in: workspace).status == 2)
    #expect(try lockstep(["run", "--quiet", "--verbose"], in: workspace).status == 2)
    let quiet = try lockstep(["run", "--quiet", "--filter", "article"], in: workspace)
    #expect(quiet.status == 0)
    #expect(quiet.stdout.hasPrefix("3 passed, 0 failed"), Comment(rawValue: quiet.stdout))
    #expect(!quiet.stdout.contains("\u{1B}["), "no colour when not on a terminal")
    let help = try lockstep(["--help"], in: workspace)
    #expect(help.status == 0)
    #expect(help.stdout.contains("Exit codes"))
  }

  @Test("`list` shows ids with expectations; `report` prints one scenario's report")
  func listAndReport() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let list = try lockstep(["list", "--filter", "article"], in: workspace)
    #expect(list.status == 0)
    #expect(list.stdout.split(separator: "\n").count == 3)
    #expect(list.stdout.contains("article/optimizer-epsilon  [differ]"))
    let report = try lockstep(["report", "article/optimizer-epsilon"], in: workspace)
    #expect(report.status == 0)
    #expect(report.stdout.contains("Verdict: differ (as expected)"))
    #expect(report.stdout.contains("epsilon=1e-08"))
    #expect(report.stdout.contains("epsilon=1e-07"))
  }

  @Test("`--json` writes each scenario's verdict and outputs")
  func json() throws {
    let workspace = try scratchWorkspace()
    defer { try? FileManager.default.removeItem(at: workspace) }
    let result = try lockstep(["run", "article/session-vs-eager", "--json", "out.json"], in: workspace)
    #expect(result.status == 0)
    let data = try Data(contentsOf: workspace.appendingPathComponent("out.json"))
    let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let scenarios = try #require(document["scenarios"] as? [[String: Any]])
    #expect(scenarios.first?["verdict"] as? String == "equivalent")
    let summary = try #require(document["summary"] as? [String: Any])
    #expect(summary["passed"] as? Int == 1)
  }

  @Test("`exec` runs one Python file: its output, then an uncaught error as CPython prints it, exit 1")
  func exec() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-exec-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let source = "import tensorflow as tf\nprint(tf.reduce_sum(tf.constant([1.0, 2.0])).numpy())\nprint([1][2])\n"
    try Data(source.utf8).write(to: directory.appendingPathComponent("snippet.py"))
    let result = try lockstep(["exec", "snippet.py"], in: directory)
    #expect(result.status == 1)
    #expect(result.stdout == "3.0\nIndexError: list index out of range\n")
    let located = try lockstep(["exec", "--located", "snippet.py"], in: directory)
    #expect(located.stdout.contains("snippet.py:3:7: error: IndexError: list index out of range"))
  }
}
