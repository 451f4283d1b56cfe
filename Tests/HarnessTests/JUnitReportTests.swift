import Testing

@testable import Harness

@Suite struct JUnitReportTests {
  @Test("markup, line breaks and characters XML cannot hold are escaped")
  func escaping() {
    #expect(JUnitReport.escaped("a<b & \"c\">\nd\u{1}") == "a&lt;b &amp; &quot;c&quot;&gt;&#10;d\u{FFFD}")
    #expect(JUnitReport.escaped("line\nnext\t", inAttribute: false) == "line\nnext\t")
  }

  @Test("the area is the scenario's folder, the name its file")
  func areaAndName() {
    #expect(JUnitReport.split("basics/reshape") == ("basics", "reshape"))
    #expect(JUnitReport.split("a/b/c") == ("a/b", "c"))
    #expect(JUnitReport.split("loose") == (".", "loose"))
  }
}
