/// The element types a tensor can hold, spelled as TensorFlow spells them.
public enum DType: String, Sendable, CaseIterable, Codable {
  case float32, float64, int32, int64, bool

  /// Whether the type is a floating-point type.
  public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

  /// Whether the type is a signed integer type.
  public var isInteger: Bool { self == .int32 || self == .int64 }

  /// The name TensorFlow prints in messages and reprs (`float32`, `int64`, `bool`).
  public var name: String { rawValue }

  /// TensorFlow's C++ type name (`float`, `double`), which its kernel error messages use.
  public var cppName: String {
    switch self {
    case .float32: "float"
    case .float64: "double"
    default: rawValue
    }
  }

  /// The dtype of the `Python float` / `Python int` TF uses for literals with no other hint.
  public static let defaultFloat = DType.float32
  /// The dtype TensorFlow gives a Python int literal with no other hint.
  public static let defaultInt = DType.int32
}
