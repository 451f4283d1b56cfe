import Testing

@testable import Harness

/// `lockstep check`: the APIs a program references, resolved through imports and aliases,
/// answered by the same tables a run uses.
@Suite struct APICheckTests {
  /// A scenario whose v1 uses every kind of import and alias.
  static let mixed = """
    summary: mixed API use
    v1: |
      import tensorflow.compat.v1 as tf
      from tensorflow import keras
      from tensorflow.keras.layers import Dense
      import numpy as np
      nn = tf.nn
      y = nn.relu(tf.constant([1.0]))
      z = tf.contrib_thing(1)
      a = np.ones((2,)).sum()
      m = keras.layers.Dense(3)
      import tensorflow.nothere
    v2: |
      import tensorflow as tf
      import scipy
      x = tf.linalg.det(tf.eye(2))
      print(f"{tf.reduce_sum(x)}")
      def f(t=tf.zeros([1])):
          return [tf.square(v) for v in [t] if tf.size(v) > 0]

    """

  /// The references of one side as `status path @ line:col, …`.
  static func lines(_ side: APICheck.Side) -> [String] {
    side.references.map { reference in
      "\(reference.status.rawValue) \(reference.path) @ "
        + reference.locations.map(\.description).joined(separator: ", ")
    }
  }

  @Test("each API is resolved through the program's aliases, with its status and every place")
  func mixedProgram() throws {
    let scenario = try ScenarioLoader.parse(text: Self.mixed, path: "Scenarios/x/mixed.yaml", id: "x/mixed")
    let check = APICheck(scenario)
    #expect(
      Self.lines(check.sides[0]) == [
        "unsupported tf.keras.layers.Dense @ 5:3, 11:7",
        "supported tf.compat.v1.nn.relu @ 8:7",
        "supported tf.compat.v1.constant @ 8:15",
        "not in TF tf.compat.v1.contrib_thing @ 9:7",
        "supported np.ones @ 10:7",
        "not in TF tf.nothere @ 12:3",
      ])
    #expect(
      Self.lines(check.sides[1]) == [
        "unsupported scipy @ 15:3",
        "unsupported tf.linalg.det @ 16:7",
        "unsupported tf.eye @ 16:21",
        "supported tf.reduce_sum @ 17:12",
        "supported tf.zeros @ 18:11",
        // A comprehension's condition runs before its element, as Python evaluates them.
        "unsupported tf.size @ 19:44",
        "supported tf.square @ 19:15",
      ])
    #expect(check.hasUnsupported)
    #expect(!check.hasError)
    let summary = APICheck.summary([check])
    #expect(summary.hasPrefix("13 APIs referenced in 1 scenario: 6 supported, 5 unsupported, 2 not in TF"))
    #expect(summary.contains("Unsupported APIs are what stop a program"))
  }

  @Test("the text groups by side with file:line:col; JSON carries the same")
  func rendering() throws {
    let scenario = try ScenarioLoader.parse(text: Self.mixed, path: "Scenarios/x/mixed.yaml", id: "x/mixed")
    let check = APICheck(scenario)
    let text = check.rendered
    #expect(text.hasPrefix("x/mixed  (Scenarios/x/mixed.yaml, TensorFlow 2.21)\n  v1:\n"))
    #expect(text.contains("\n    unsupported  tf.keras.layers.Dense       Scenarios/x/mixed.yaml:5:3, 11:7\n"))
    #expect(text.contains("\n    not in TF    tf.nothere                  Scenarios/x/mixed.yaml:12:3\n"))
    let json = APICheck.json([check])
    #expect(json.contains("\"api\": \"tf.linalg.det\""))
    #expect(json.contains("\"Scenarios/x/mixed.yaml:16:7\""))
    #expect(json.contains("\"unsupported\": true"))
  }

  @Test("a program that does not parse is a located error; the other side is still checked")
  func syntaxError() throws {
    let text = "summary: s\nv1: |\n  import tensorflow as tf\n  x = (\nv2: |\n  import numpy as np\n  y = np.ones(3)\n"
    let check = APICheck(try ScenarioLoader.parse(text: text, path: "Scenarios/x/bad.yaml", id: "x/bad"))
    #expect(check.hasError)
    #expect(check.sides[0].error?.hasPrefix("Scenarios/x/bad.yaml:4:") == true)
    #expect(Self.lines(check.sides[1]) == ["supported np.ones @ 7:7"])
  }

  @Test("standard-library modules Lockstep provides are not APIs to list; other modules are unsupported")
  func standardLibrary() throws {
    let text =
      "summary: s\nv1: |\n  import functools, itertools\n  from collections import namedtuple\n"
      + "  import tensorflow as tf\n"
      + "  x = tf.constant(1.0)\nv2: |\n  import pandas\n  y = 1\n"
    let check = APICheck(try ScenarioLoader.parse(text: text, path: "Scenarios/x/std.yaml", id: "x/std"))
    #expect(Self.lines(check.sides[0]) == ["supported tf.constant @ 6:7"])
    #expect(Self.lines(check.sides[1]) == ["unsupported pandas @ 8:3"])
  }

  @Test("every bundled scenario references only APIs Lockstep supports (they all run)")
  func bundledScenarios() throws {
    let checks = try Workspace(root: repositoryRoot).load([], filter: nil).map { APICheck(try $0.scenario.get()) }
    #expect(!checks.isEmpty)
    for check in checks where check.hasUnsupported || check.hasError { Issue.record("\(check.rendered)") }
  }
}
