import Testing

@testable import TFModel

@Suite struct DefaultsTableTests {
  @Test("the bundled table gives each API's defaults per profile, as TF 2.21 declares them")
  func bundledValues() {
    let table = DefaultsTable.bundled
    let profile = Profile.newest
    #expect(table.entry(api: "tf.keras.optimizers.Adam", parameter: "epsilon")?.value(for: profile) == .float(1e-7))
    #expect(
      table.entry(api: "tf.compat.v1.train.AdamOptimizer", parameter: "epsilon")?.value(for: profile) == .float(1e-8))
    #expect(table.entry(api: "tf.math.reduce_sum", parameter: "keepdims")?.value(for: profile) == .bool(false))
    #expect(
      table.entry(api: "tf.compat.v1.reduce_sum", parameter: "keepdims")?.value(for: profile)
        == DefaultsTable.Value.none)
    #expect(table.entry(api: "tf.zeros", parameter: "dtype")?.value(for: profile) == .dtype(.float32))
    #expect(table.entry(api: "tf.keras.optimizers.Adam", parameter: "epsilon")?.changesNumbers == true)
    #expect(table.entry(api: "tf.keras.optimizers.Adam", parameter: "name")?.changesNumbers == false)
    #expect(
      table.entry(api: "tf.compat.v1.nn.conv2d", parameter: "dilations")?.value(for: profile) == .ints([1, 1, 1, 1]))
    #expect(table.entry(api: "tf.nn.conv2d", parameter: "dilations")?.value(for: profile) == DefaultsTable.Value.none)
  }

  @Test("later entries override earlier ones for the profiles they name; bad lines are refused with their number")
  func parsing() throws {
    let table = try DefaultsTable(text: "# comment\ntf.a,tf.b\tx\tnumeric\t*=1 2.21=2.5\ntf.c\ty\tother\t2.15='k'\n")
    #expect(table.entry(api: "tf.b", parameter: "x")?.value(for: .newest) == .float(2.5))
    #expect(table.entry(api: "tf.c", parameter: "y")?.value(for: .newest) == nil)
    #expect(throws: DefaultsTable.TableError.self) { try DefaultsTable(text: "tf.a\tx\tnumeric\t*=what\n") }
    let lists = try DefaultsTable(text: "tf.a\tx\tnumeric\t*=[1,-2]\ntf.a\ty\tother\t*=[]\n")
    #expect(lists.entry(api: "tf.a", parameter: "x")?.value(for: .newest)?.description == "[1, -2]")
    #expect(lists.entry(api: "tf.a", parameter: "y")?.value(for: .newest) == .ints([]))
    #expect(throws: DefaultsTable.TableError.self) { try DefaultsTable(text: "tf.a\tx\tnumeric\t*=[1,x]\n") }
    #expect(throws: DefaultsTable.TableError.self) {
      try DefaultsTable(text: "tf.a\tx\tnumeric\t*=1\ntf.a\tx\tother\t*=2\n")
    }
  }

  @Test("programs see the table's defaults")
  func programsSeeDefaults() {
    let result = runProgram(
      "import tensorflow as tf\nopt = tf.keras.optimizers.Adam()\nprint(opt.epsilon)\nprint(tf.zeros([1]).dtype)\n")
    #expect(result.printed == "1e-07\n<dtype: 'float32'>\n")
  }
}
