/// A program that could not be parsed, or uses Python that Lockstep does not support.
public struct SyntaxError: LocatedError, Equatable, Sendable {
  /// What went wrong.
  public enum Kind: Equatable, Sendable {
    /// Not valid Python: what Python itself would reject.
    case invalid(String)
    /// Valid Python outside the subset Lockstep interprets; names the feature.
    case unsupported(feature: String)
  }

  /// The kind of failure.
  public var kind: Kind
  /// Where it was detected.
  public var at: SourcePosition

  /// Makes an error.
  public init(_ kind: Kind, at: SourcePosition) {
    self.kind = kind
    self.at = at
  }

  public var location: SourcePosition? { at }

  public var message: String {
    switch kind {
    case let .invalid(text): "SyntaxError: \(text)"
    case let .unsupported(feature): "unsupported: Lockstep does not support \(feature) yet"
    }
  }
}
