/// A TensorFlow version whose defaults and API surface a run models.
public struct Profile: Sendable, Hashable, CustomStringConvertible {
  /// The version, `major.minor` (`2.21`).
  public let version: String
  /// The major version of Keras that `tf.keras` is in this version (2 before TF 2.16, then 3).
  public let kerasMajor: Int
  /// The name of the bundled API table for this version.
  let apiTable: String

  /// The profiles Lockstep models, newest last.
  public static let supported: [Profile] = [
    Profile(version: "2.21", kerasMajor: 3, apiTable: "api-2.21")
  ]

  /// The profile a scenario runs under when it names none: the newest supported.
  public static var newest: Profile { supported.last! }

  /// The profile for a version string, or nil when Lockstep does not model it.
  public static func named(_ version: String) -> Profile? {
    supported.first { $0.version == version }
  }

  public var description: String { version }
}
