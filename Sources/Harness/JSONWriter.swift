import Foundation

/// Writes JSON text into one growing byte buffer, in the order values are given, so a
/// document costs time linear in its size (no intermediate `[String: Any]` trees).
///
/// Objects and arrays are opened and closed explicitly; the writer inserts commas, two-space
/// indentation and newlines.
struct JSONWriter {
  /// The UTF-8 text written so far.
  private(set) var bytes: [UInt8] = []
  /// Per open container: whether it has a member yet.
  private var hasMember: [Bool] = []
  /// Whether the next value follows a key (and needs no comma or indentation).
  private var afterKey = false

  init(reservingCapacity capacity: Int = 1 << 16) {
    bytes.reserveCapacity(capacity)
  }

  /// Ends the document with a newline.
  mutating func newlineAtEnd() { bytes.append(UInt8(ascii: "\n")) }

  // MARK: Containers

  mutating func beginObject() { open(UInt8(ascii: "{")) }
  mutating func endObject() { close(UInt8(ascii: "}")) }
  mutating func beginArray() { open(UInt8(ascii: "[")) }
  mutating func endArray() { close(UInt8(ascii: "]")) }

  /// Writes `"name": ` inside an object; the next call writes its value.
  mutating func key(_ name: String) {
    separate()
    quoted(name)
    bytes.append(UInt8(ascii: ":"))
    bytes.append(UInt8(ascii: " "))
    afterKey = true
  }

  // MARK: Values

  mutating func string(_ text: String) {
    separate()
    quoted(text)
  }

  private mutating func quoted(_ text: String) {
    Self.appendQuoted(text, to: &bytes)
  }

  /// Appends `text` as a JSON string literal.
  static func appendQuoted(_ text: String, to bytes: inout [UInt8]) {
    func escaped(_ byte: UInt8) {
      bytes.append(UInt8(ascii: "\\"))
      bytes.append(byte)
    }
    bytes.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"): escaped(byte)
      case UInt8(ascii: "\n"): escaped(UInt8(ascii: "n"))
      case UInt8(ascii: "\r"): escaped(UInt8(ascii: "r"))
      case UInt8(ascii: "\t"): escaped(UInt8(ascii: "t"))
      case 0..<0x20:
        escaped(UInt8(ascii: "u"))
        bytes.append(contentsOf: [
          UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)],
        ])
      default: bytes.append(byte)
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }

  mutating func int(_ value: Int) { raw(String(value)) }
  mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }
  mutating func null() { raw("null") }

  /// A number already spelled as JSON (shortest round-trip digits); the caller makes sure it is
  /// finite.
  mutating func number(_ spelled: String) { raw(spelled) }

  /// A finite double as a number, anything else as the string `nan`, `inf` or `-inf`.
  mutating func double(_ value: Double) {
    if value.isFinite { raw(value.description) } else { string(value.isNaN ? "nan" : value < 0 ? "-inf" : "inf") }
  }

  /// `key: value` for an optional string, `null` when absent.
  mutating func member(_ name: String, _ value: String?) {
    key(name)
    if let value { string(value) } else { null() }
  }

  mutating func member(_ name: String, _ value: Int) {
    key(name)
    int(value)
  }

  mutating func member(_ name: String, _ value: Bool) {
    key(name)
    bool(value)
  }

  mutating func member(_ name: String, strings values: [String]) {
    key(name)
    beginArray()
    for value in values { string(value) }
    endArray()
  }

  mutating func member(_ name: String, ints values: [Int]) {
    key(name)
    inlineArray(values.map(String.init))
  }

  /// An array of already-spelled scalars on one line (`[1, 2, 3]`), for shapes and indices.
  mutating func inlineArray(_ spelled: [String]) {
    inlineArray(count: spelled.count) { index, out in out.append(contentsOf: spelled[index].utf8) }
  }

  /// An array of `count` scalars on one line, element `i` spelled by `spell(i, &bytes)`
  /// (appending its JSON text). A large array is spelled in chunks on all cores and joined in
  /// order, so the text is the same as spelling the elements one by one.
  mutating func inlineArray(count: Int, spell: (Int, inout [UInt8]) -> Void) {
    separate()
    bytes.append(UInt8(ascii: "["))
    func spellRange(_ range: Range<Int>, into out: inout [UInt8]) {
      for index in range {
        if index > 0 {
          out.append(UInt8(ascii: ","))
          out.append(UInt8(ascii: " "))
        }
        spell(index, &out)
      }
    }
    let chunks = count < Self.parallelThreshold ? 1 : 4 * ProcessInfo.processInfo.activeProcessorCount
    if chunks == 1 {
      spellRange(0..<count, into: &bytes)
    } else {
      var pieces = [[UInt8]](repeating: [], count: chunks)
      pieces.withUnsafeMutableBufferPointer { slots in
        withoutActuallyEscaping(spellRange) { spellRange in
          // Each chunk writes only its own slot.
          nonisolated(unsafe) let (slots, spellRange) = (slots, spellRange)
          DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var piece: [UInt8] = []
            piece.reserveCapacity(count / chunks * 16)
            spellRange(count * chunk / chunks..<count * (chunk + 1) / chunks, &piece)
            slots[chunk] = piece
          }
        }
      }
      for piece in pieces { bytes.append(contentsOf: piece) }
    }
    bytes.append(UInt8(ascii: "]"))
  }

  /// Arrays with at least this many elements are spelled in parallel.
  static let parallelThreshold = 1 << 16

  // MARK: Layout

  private static let hexDigits = Array("0123456789abcdef".utf8)

  private mutating func raw(_ text: String) {
    separate()
    var text = text
    text.withUTF8 { bytes.append(contentsOf: $0) }
  }

  private mutating func open(_ bracket: UInt8) {
    separate()
    bytes.append(bracket)
    hasMember.append(false)
  }

  private mutating func close(_ bracket: UInt8) {
    let hadMembers = hasMember.removeLast()
    if hadMembers { newline() }
    bytes.append(bracket)
  }

  /// A comma and a newline before every member but the first; nothing after a key.
  private mutating func separate() {
    if afterKey {
      afterKey = false
      return
    }
    guard !hasMember.isEmpty else { return }
    if hasMember[hasMember.count - 1] { bytes.append(UInt8(ascii: ",")) }
    hasMember[hasMember.count - 1] = true
    newline()
  }

  private mutating func newline() {
    bytes.append(UInt8(ascii: "\n"))
    bytes += repeatElement(UInt8(ascii: " "), count: 2 * hasMember.count)
  }
}
