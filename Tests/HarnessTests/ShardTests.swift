import Testing

@testable import Harness

@Suite struct ShardTests {
  @Test("FNV-1a matches the reference vectors")
  func fnv1a() {
    #expect(Shard.fnv1a("") == 0xcbf2_9ce4_8422_2325)
    #expect(Shard.fnv1a("a") == 0xaf63_dc4c_8601_ec8c)
    #expect(Shard.fnv1a("foobar") == 0x8594_4171_f739_67e8)
  }

  @Test("shards 1/3, 2/3 and 3/3 together hold every bundled scenario exactly once")
  func coverBundledSuite() throws {
    let workspace = Workspace(root: repositoryRoot)
    let all = try workspace.load([], filter: nil).map(\.entry.id)
    var seen: [String] = []
    for index in 1...3 {
      let shard = try #require(Shard("\(index)/3"))
      seen += try workspace.load([], filter: nil, shard: shard).map(\.entry.id)
    }
    #expect(seen.sorted() == all.sorted())
  }

  @Test("any N shards partition a set of ids", arguments: [1, 2, 5, 7])
  func partition(count: Int) throws {
    let ids = (0..<200).map { "area\($0 % 4)/scenario-\($0)" }
    var owners = [String: Int]()
    for index in 1...count {
      let shard = try #require(Shard("\(index)/\(count)"))
      for id in ids where shard.contains(id) {
        #expect(owners[id] == nil, "\(id) is in two shards")
        owners[id] = index
      }
    }
    #expect(owners.count == ids.count)
  }

  @Test("I/N needs 1 ≤ I ≤ N", arguments: ["0/3", "4/3", "1/0", "x/3", "1/3/5", "13", "-1/3"])
  func rejects(text: String) {
    #expect(Shard(text) == nil)
  }
}
