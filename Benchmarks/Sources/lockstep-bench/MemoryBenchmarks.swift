import Dispatch
import Operations
import TensorCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Figures 4 to 6: memory-bound ops on 4M float32 elements against plain copies and sums
/// split across all cores.
enum MemoryBenchmarks {
  /// The operands' shape: 4M elements.
  static let shape = [4096, 1024]
  /// 4M.
  static let count = 4096 * 1024
  /// One operand's bytes: 16 MiB.
  static let operandBytes = Double(count * MemoryLayout<Float>.stride)

  /// `add-4M-f32` and `broadcast-add-4096x1024-row-f32` against the copy reference, and
  /// `reduce-sum-4M-f32` against a SIMD sum; all in GB/s.
  static func run() throws -> [Figure] {
    let (a, pa) = try Inputs.random(shape, seed: 5)
    let (b, pb) = try Inputs.random(shape, seed: 6)
    let (row, _) = try Inputs.random([1024], seed: 7)
    let copy = { try copyReference(pa, pb) }
    // The add reads two operands and writes one.
    let add = try Stopwatch.bestOf(15, engine: { consume(try OpDefinition.addV2(a, b)) }, reference: copy)
    // The broadcast add reads one operand and the row, and writes one operand.
    let broadcast = try Stopwatch.bestOf(
      15, engine: { consume(try OpDefinition.addV2(a, row)) }, reference: copy)
    let sum = try Stopwatch.bestOf(
      15,
      engine: { consume(try OpDefinition.sum(a, attributes: .reduction(axes: nil, keepDims: false))) },
      reference: { consume(parallelSum(pa, count: count)) })
    withExtendedLifetime((a, b, row)) {}
    let copyBytes = 4 * operandBytes
    let gigabytes = 1e9
    return [
      Figure(
        name: "add-4M-f32", value: 3 * operandBytes / add.engine / gigabytes, unit: .gigabytesPerSecond,
        reference: (copyBytes / add.reference / gigabytes, .gigabytesPerSecond), goal: .ratioAtLeast(0.8)),
      Figure(
        name: "reduce-sum-4M-f32", value: operandBytes / sum.engine / gigabytes, unit: .gigabytesPerSecond,
        reference: (operandBytes / sum.reference / gigabytes, .gigabytesPerSecond), goal: .ratioAtLeast(0.8)),
      Figure(
        name: "broadcast-add-4096x1024-row-f32", value: (2 * operandBytes + 4096) / broadcast.engine / gigabytes,
        unit: .gigabytesPerSecond,
        reference: (copyBytes / broadcast.reference / gigabytes, .gigabytesPerSecond), goal: .ratioAtLeast(0.6)),
    ]
  }

  /// The element-wise reference, the work of an add without the arithmetic: each of the two
  /// inputs is copied into a fresh 16 MiB tensor allocated as the engine allocates its
  /// outputs (`Tensor.uninitialized`), one after the other, with `memcpy` split across all
  /// cores. It reads the add's 32 MiB of inputs and writes 32 MiB, counted as 64 MiB moved
  /// (the add counts 48 MiB: 32 read, 16 written). Each fresh buffer has the size and the
  /// allocation route of the add's output, so allocator and first-touch costs per fresh
  /// buffer are the same on both sides; one 32 MiB buffer instead would be mapped afresh on
  /// every call by glibc, whose `mmap` threshold stops at 32 MiB, and so be slower for
  /// reasons the add never meets.
  static func copyReference(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>) throws {
    for source in [a, b] {
      let (output, destination) = try Tensor.uninitialized(Float.self, shape: shape)
      parallelCopy(destination, source, count: count)
      consume(output)
    }
  }

  /// Copies `count` floats with `memcpy`, one chunk per core.
  static func parallelCopy(_ destination: UnsafeMutablePointer<Float>, _ source: UnsafePointer<Float>, count: Int) {
    let chunks = Parallel.coreCount
    let per = (count + chunks - 1) / chunks
    // The chunks are disjoint: each writes only its own elements.
    nonisolated(unsafe) let destination = destination
    nonisolated(unsafe) let source = source
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
      let start = chunk * per
      let end = min(count, start + per)
      if start < end {
        memcpy(destination + start, source + start, (end - start) * MemoryLayout<Float>.stride)
      }
    }
  }

  /// The sum of `count` floats, one chunk per core, each summed with four 8-lane
  /// accumulators (float32 throughout: a throughput reference, not a rounding one).
  static func parallelSum(_ elements: UnsafePointer<Float>, count: Int) -> Float {
    let chunks = Parallel.coreCount
    let per = (count + chunks - 1) / chunks
    let partials = UnsafeMutableBufferPointer<Float>.allocate(capacity: chunks)
    defer { partials.deallocate() }
    // Each chunk writes only its own partial.
    nonisolated(unsafe) let elements = elements
    nonisolated(unsafe) let partialsAddress = partials.baseAddress
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
      let start = chunk * per
      let end = min(count, start + per)
      let raw = UnsafeRawPointer(elements)
      var s0 = SIMD8<Float>()
      var s1 = SIMD8<Float>()
      var s2 = SIMD8<Float>()
      var s3 = SIMD8<Float>()
      var index = start
      let stride = MemoryLayout<Float>.stride
      while index + 32 <= end {
        s0 += raw.loadUnaligned(fromByteOffset: index * stride, as: SIMD8<Float>.self)
        s1 += raw.loadUnaligned(fromByteOffset: (index + 8) * stride, as: SIMD8<Float>.self)
        s2 += raw.loadUnaligned(fromByteOffset: (index + 16) * stride, as: SIMD8<Float>.self)
        s3 += raw.loadUnaligned(fromByteOffset: (index + 24) * stride, as: SIMD8<Float>.self)
        index += 32
      }
      var total = ((s0 + s1) + (s2 + s3)).sum()
      while index < end {
        total += elements[index]
        index += 1
      }
      partialsAddress?[chunk] = total
    }
    return partials.reduce(0, +)
  }
}
