import Foundation
import TensorCore

/// An op's inputs, outputs and type attributes as TensorFlow registers them (`REGISTER_OP`),
/// read from the op registry dumped from real TensorFlow (`Resources/ops-2.21.txt`).
public struct OpSignature: Sendable {
  /// The op's name (`AddV2`).
  public let name: String
  /// The input names in order (`x`, `y`; `input`, `reduction_indices`).
  public let inputs: [String]
  /// The output names in order.
  public let outputs: [String]
  /// The type attributes with allowed lists, in the registry's attribute order.
  public let typeConstraints: [TypeConstraint]

  /// The signature of `name` in TensorFlow's registry, or nil when TF has no such op.
  public static func named(_ name: String) -> OpSignature? { OpSignatureTable.shared.signature(name) }
}

/// The dtypes TensorFlow registers for one type attribute (`T`), in its registration order,
/// and the first input that sets it. Checked before anything else, as TF checks attributes
/// before it runs a kernel.
public struct TypeConstraint: Sendable, Equatable {
  /// The attribute (`T`, `Tlabels`).
  public let attribute: String
  /// The input that sets it (`x`, `features`).
  public let parameter: String
  /// Its position among the op's inputs.
  public let inputIndex: Int
  /// The allowed dtypes, by their Python names, in the registry's order.
  public let allowed: [String]
  /// The allowed dtypes Lockstep has, one bit per `DType` case.
  private let mask: UInt32

  /// A constraint on `attribute`, set by input `parameter` at `inputIndex`.
  init(attribute: String, parameter: String, inputIndex: Int, allowed: [String]) {
    self.attribute = attribute
    self.parameter = parameter
    self.inputIndex = inputIndex
    self.allowed = allowed
    mask = allowed.reduce(0) { mask, name in mask | (DType(rawValue: name).map(Self.bit) ?? 0) }
  }

  private static func bit(_ dtype: DType) -> UInt32 {
    1 << UInt32(dtype.ordinal)
  }

  /// Whether `dtype` satisfies the constraint.
  public func allows(_ dtype: DType) -> Bool { mask & Self.bit(dtype) != 0 }

  /// The eager error: `Value for attr 'T' of bool is not in the list of allowed values: …`.
  public func eagerMessage(_ dtype: DType, op: String) -> String {
    let names = allowed.map(Self.cppName).joined(separator: ", ")
    return
      "Value for attr '\(attribute)' of \(dtype.cppName) is not in the list of allowed values: \(names)\n\t; NodeDef: "
      + "{{node \(op)}} [Op:\(op)]"
  }

  /// The graph-construction error: `Value passed to parameter 'x' has DataType bool …`.
  public func graphMessage(_ dtype: DType) -> String {
    "Value passed to parameter '\(parameter)' has DataType \(dtype.name) not in list of allowed values: "
      + "\(allowed.joined(separator: ", "))"
  }

  private static func cppName(_ python: String) -> String {
    DType(rawValue: python)?.cppName ?? python
  }
}

/// The registry file, read once; a line is parsed when its op is first declared.
final class OpSignatureTable: Sendable {
  static let shared = OpSignatureTable()
  private let lines: [Substring: Substring]

  private init() {
    guard let url = Bundle.module.url(forResource: "ops-2.21", withExtension: "txt"),
      let text = try? String(contentsOf: url, encoding: .utf8)
    else {
      preconditionFailure("the bundled op registry Resources/ops-2.21.txt is missing")
    }
    var lines: [Substring: Substring] = [:]
    lines.reserveCapacity(2048)
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
      guard let tab = line.firstIndex(of: "\t") else { continue }
      lines[line[..<tab]] = line
    }
    self.lines = lines
  }

  /// The signature of the op `name`, or nil when the registry has no such op.
  func signature(_ name: String) -> OpSignature? {
    guard let line = lines[Substring(name)] else { return nil }
    let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
    return fields.count >= 4 ? Self.parse(fields) : nil
  }

  /// `name <TAB> inputs <TAB> outputs <TAB> attrs`, as the file's header describes: inputs and
  /// outputs `name:TYPE` joined by commas; attrs joined by semicolons, of which the type attrs
  /// with allowed lists (`T:type=a|b|c`, maybe `@default`) become constraints.
  private static func parse(_ fields: [String]) -> OpSignature {
    func arguments(_ field: String) -> [(name: String, type: String)] {
      guard field != "-", !field.isEmpty else { return [] }
      return field.split(separator: ",").map { argument in
        let parts = argument.split(separator: ":", maxSplits: 1).map(String.init)
        return (parts[0], parts.count > 1 ? parts[1] : "")
      }
    }
    let inputs = arguments(fields[1])
    var constraints: [TypeConstraint] = []
    for attr in fields[3].split(separator: ";") {
      guard let colon = attr.firstIndex(of: ":"), attr[colon...].hasPrefix(":type=") else { continue }
      let name = String(attr[..<colon])
      let list = attr[attr.index(colon, offsetBy: 6)...].prefix { $0 != "@" }
      let allowed = list.split(separator: "|").map(String.init)
      guard let index = inputs.firstIndex(where: { $0.type == name || $0.type.hasPrefix(name + "*") }) else { continue }
      constraints.append(
        TypeConstraint(attribute: name, parameter: inputs[index].name, inputIndex: index, allowed: allowed))
    }
    return OpSignature(
      name: fields[0], inputs: inputs.map(\.name), outputs: arguments(fields[2]).map(\.name),
      typeConstraints: constraints)
  }
}
