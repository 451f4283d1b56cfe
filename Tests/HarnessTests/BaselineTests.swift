import Foundation
import TensorCore
import Testing

@testable import Harness
@testable import TFModel

@Suite struct BaselineFormatTests {
  static let awkwardFloats: [Float] = [-0.0, .nan, .infinity, -.infinity, 1e-45, 3.4028235e38, 0.1, 1.0 / 3.0]

  @Test("every float parses back to the same bits, -0.0, nan and inf included")
  func exactRoundTrip() throws {
    let f32 = Tensor(shape: [8], scalars: Self.awkwardFloats)
    let f64 = Tensor(shape: [2, 2], scalars: [-0.0, .nan, 0.1 + 0.2, 5e-324] as [Double])
    let baseline = Baseline(
      scenarioHash: "abc", profile: "2.21", lockstepVersion: "0.1.0", verdict: .differ,
      v1: .outputs([
        NamedOutput(name: "a", value: .tensor(f32)), NamedOutput(name: "t", value: .text("line\n\"quoted\"")),
      ]),
      v2: .outputs([
        NamedOutput(name: "a", value: .tensor(f64)),
        NamedOutput(name: "i", value: .tensor(Tensor(shape: [2], scalars: [.min, .max] as [Int64]))),
      ]))
    let parsed = try BaselineFormat.parse(BaselineFormat.write(baseline, scenarioID: "x"))
    guard case let .outputs(v1) = parsed.v1, case let .tensor(a)? = v1.first?.value, a.dtype == .float32 else {
      Issue.record("v1 did not round-trip")
      return
    }
    let values = a.scalars(as: Float.self)
    #expect(
      values.map(\.bitPattern) == Self.awkwardFloats.map(\.bitPattern)
        || zip(values, Self.awkwardFloats).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) })
    #expect(values[0].sign == .minus)
    #expect(v1[1].value == .text("line\n\"quoted\""))
    guard case let .outputs(v2) = parsed.v2, case let .tensor(b)? = v2.first?.value, b.dtype == .float64 else {
      Issue.record("v2 did not round-trip")
      return
    }
    let doubles = b.scalars(as: Double.self)
    #expect(doubles[2].bitPattern == (0.1 + 0.2).bitPattern)
    #expect(doubles[3] == 5e-324)
    #expect(v2[1].value == .tensor(Tensor(shape: [2], scalars: [.min, .max] as [Int64])))
  }

  @Test("errors are stored with type and message")
  func errorOutcome() throws {
    let baseline = Baseline(
      scenarioHash: "h", profile: "2.21", lockstepVersion: "0.1.0", verdict: .error,
      v1: .error(type: "ValueError", message: "bad\tthing"), v2: .outputs([]))
    #expect(try BaselineFormat.parse(BaselineFormat.write(baseline, scenarioID: "e")) == baseline)
  }

  @Test("a malformed baseline names its line")
  func malformed() {
    #expect(throws: BaselineParseError(line: 2, message: "unknown key 'bogus'")) {
      try BaselineFormat.parse("format 1\nbogus 2\n")
    }
  }

  @Test("the store writes atomically and refuses under CI")
  func store() throws {
    let directory = NSTemporaryDirectory() + "lockstep-store-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = BaselineStore(directory: directory)
    let baseline = Baseline(
      scenarioHash: "h", profile: "2.21", lockstepVersion: "0.1.0", verdict: .equivalent, v1: .outputs([]),
      v2: .outputs([]))
    if ProcessInfo.processInfo.environment["CI"] != nil {
      #expect(throws: BaselineWriteError.self) { try store.write(baseline, for: "group/name") }
      return
    }
    try store.write(baseline, for: "group/name")
    guard case let .found(read) = store.read("group/name") else {
      Issue.record("baseline not found after writing")
      return
    }
    #expect(read == baseline)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory + "/group").filter {
      $0.hasSuffix(".tmp")
    }
    #expect(leftovers.isEmpty)
  }

  @Test("SHA-256 matches the FIPS test vectors")
  func sha256() {
    #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(SHA256.hex(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
  }
}

@Suite struct ComparatorTests {
  func compare(_ a: Tensor, _ b: Tensor, _ tolerance: Tolerance = Tolerance(rtol: 1e-6, atol: 0)) -> OutputComparison {
    Comparator.compare(name: "x", .tensor(a), .tensor(b), tolerance: { _ in tolerance })
  }

  @Test("values within atol + rtol·|b| match; the worst element is named with both values")
  func tolerance() {
    let a = Tensor(shape: [3], scalars: [1, 2, 3] as [Float])
    let b = Tensor(shape: [3], scalars: [1, 2.5, 3.0000002] as [Float])
    let result = compare(a, b)
    #expect(result.failure == .values)
    #expect(result.statistics?.mismatches == 1)
    #expect(result.statistics?.maxAbsolute?.index == [1])
    #expect(result.statistics?.maxAbsolute?.lhs == "2.0")
    #expect(result.statistics?.maxAbsolute?.rhs == "2.5")
    #expect(compare(a, b, Tolerance(rtol: 0, atol: 0.6)).matches)
  }

  @Test("NaN must match NaN, infinities must match in sign, ints exactly")
  func specialValues() {
    let nan = Tensor(shape: [2], scalars: [.nan, .infinity] as [Double])
    #expect(compare(nan, nan).matches)
    #expect(!compare(nan, Tensor(shape: [2], scalars: [.nan, -.infinity] as [Double])).matches)
    #expect(!compare(nan, Tensor(shape: [2], scalars: [0, .infinity] as [Double])).matches)
    let ints = Tensor(shape: [1], scalars: [1] as [Int32])
    #expect(!compare(ints, Tensor(shape: [1], scalars: [2] as [Int32]), Tolerance(rtol: 1, atol: 1)).matches)
  }

  @Test("dtype and shape are compared before values")
  func structure() {
    let a = Tensor(shape: [2], scalars: [1, 2] as [Float])
    #expect(compare(a, Tensor(shape: [2], scalars: [1, 2] as [Double])).failure == .dtype(.float32, .float64))
    #expect(compare(a, Tensor(shape: [1, 2], scalars: [1, 2] as [Float])).failure == .shape([2], [1, 2]))
  }
}
