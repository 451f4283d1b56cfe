/// The element types a tensor can hold, spelled as TensorFlow spells them.
public enum DType: String, Sendable, CaseIterable, Codable {
  case float16, bfloat16, float32, float64
  case int8, int16, int32, int64
  case uint8, uint16
  case bool
  case string

  /// Whether the type is a floating-point type (half, bfloat16, float, double).
  public var isFloatingPoint: Bool {
    switch self {
    case .float16, .bfloat16, .float32, .float64: true
    default: false
    }
  }

  /// Whether the type is a signed integer type.
  public var isInteger: Bool {
    switch self {
    case .int8, .int16, .int32, .int64: true
    default: false
    }
  }

  /// Whether the type is an unsigned integer type.
  public var isUnsigned: Bool { self == .uint8 || self == .uint16 }

  /// Whether the type holds numbers (every type but bool and string).
  public var isNumeric: Bool { self != .bool && self != .string }

  /// Its position in `allCases` (declaration order), without building that array: a bit
  /// index for sets of dtypes.
  public var ordinal: Int {
    switch self {
    case .float16: 0
    case .bfloat16: 1
    case .float32: 2
    case .float64: 3
    case .int8: 4
    case .int16: 5
    case .int32: 6
    case .int64: 7
    case .uint8: 8
    case .uint16: 9
    case .bool: 10
    case .string: 11
    }
  }

  /// The bytes one element takes in a tensor's buffer (0 for strings, which are not stored
  /// inline).
  public var byteSize: Int {
    switch self {
    case .int8, .uint8, .bool: 1
    case .float16, .bfloat16, .int16, .uint16: 2
    case .float32, .int32: 4
    case .float64, .int64: 8
    case .string: 0
    }
  }

  /// The name TensorFlow prints in messages and reprs (`float32`, `int64`, `bool`).
  public var name: String { rawValue }

  /// TensorFlow's C++ type name (`float`, `double`, `half`), which its kernel error messages
  /// use.
  public var cppName: String {
    switch self {
    case .float16: "half"
    case .float32: "float"
    case .float64: "double"
    case .string: "tstring"
    default: rawValue
    }
  }

  /// TensorFlow's `DataTypeString` (`float`, `double`, `string`), which runtime messages
  /// such as an unfed placeholder's use.
  public var dataTypeString: String { self == .string ? "string" : cppName }

  /// TensorFlow's enum spelling (`DT_FLOAT`, `DT_INT32`) used in node descriptions.
  public var tfEnumName: String {
    switch self {
    case .float16: "DT_HALF"
    case .bfloat16: "DT_BFLOAT16"
    case .float32: "DT_FLOAT"
    case .float64: "DT_DOUBLE"
    default: "DT_" + rawValue.uppercased()
    }
  }

  /// The dtype of the `Python float` / `Python int` TF uses for literals with no other hint.
  public static let defaultFloat = DType.float32
  /// The dtype TensorFlow gives a Python int literal with no other hint.
  public static let defaultInt = DType.int32
}
