import Foundation
import Testing

@testable import Harness

/// Collects what a run hands its sinks, in order.
private final class Collecting: RunSink, @unchecked Sendable {
  var received: [Int] = []
  var finished: [Int] = []

  func receive(_ record: RunRecord) throws { received.append(record.index) }
  func finish(_ records: [RunRecord], summary: RunSummary) throws { finished = records.map(\.index) }
}

@Suite struct RunSessionTests {
  @Test("--jobs 1 and --jobs 3 give byte-identical reports and JSON, in selection order")
  func parallelRunsAreDeterministic() throws {
    let workspace = Workspace(root: repositoryRoot)
    let selection = try workspace.load([], filter: nil)
    var renderings: [[String]] = []
    var documents: [String] = []
    for jobs in [1, 3] {
      let sink = Collecting()
      let records = try RunSession(workspace: workspace, jobs: jobs).run(selection, sinks: [sink])
      #expect(sink.received == Array(selection.indices))
      #expect(sink.finished == Array(selection.indices))
      #expect(records.map(\.entry.id) == selection.map(\.entry.id))
      let items = records.map(\.item)
      renderings.append(records.compactMap(\.result).map(Report.render))
      documents.append(JSONReport.render(items, summary: RunSummary(items)))
    }
    #expect(renderings[0].count == selection.count)
    for (one, three) in zip(renderings[0], renderings[1]) { #expect(one == three) }
    #expect(documents[0] == documents[1])
  }

  @Test("a sink that fails does not stop the others; its error is rethrown at the end")
  func failingSink() throws {
    struct Failing: RunSink {
      func receive(_ record: RunRecord) throws { throw OutputError(path: "x", reason: "disk full") }
    }
    let workspace = Workspace(root: repositoryRoot)
    let selection = try workspace.load([], filter: "article/")
    let sink = Collecting()
    #expect(throws: OutputError.self) {
      try RunSession(workspace: workspace, jobs: 2).run(selection, sinks: [Failing(), sink])
    }
    #expect(sink.received == [0, 1, 2])
  }
}
