/// What a name of a TensorFlow or NumPy module is to Lockstep, answered from the same tables
/// attribute lookup uses (the profile's API table and the registered implementations), for
/// tools that inspect a program without running it (`lockstep check`).
public enum APIMemberStatus: Sendable, Equatable {
  /// A submodule, by its real `__name__`.
  case module(String)
  /// A member Lockstep implements.
  case supported
  /// A member the real module has that Lockstep does not model: `unsupported` when reached.
  case unsupported
  /// A name the profile's real module lacks: `AttributeError`, as in TensorFlow.
  case notInModule
}

extension TFRuntime {
  /// The real `__name__` of the module `import dotted` reaches (`tensorflow.compat.v1` →
  /// `tensorflow._api.v2.compat.v1`); nil when it is not a TensorFlow or NumPy module the
  /// profile has.
  public func realModuleName(importing dotted: String) -> String? {
    let root = dotted.split(separator: ".").first.map(String.init) ?? dotted
    guard root == "tensorflow" || root == "numpy" else { return nil }
    return api.resolveModule(dotted)
  }

  /// What `name` is in the module whose real name is `module`, in the order attribute lookup
  /// answers (an implementation first).
  public func status(of name: String, inModule module: String) -> APIMemberStatus {
    if implementation(of: name, in: module) != nil { return .supported }
    switch api.member(name, of: module) {
    case let .module(child)?: return .module(child)
    case .value?: return .unsupported
    case nil: return .notInModule
    }
  }

  /// `tensorflow.compat.v1` as programs usually spell it: `tf.compat.v1` (`np` for NumPy).
  public static func displayName(ofImport dotted: String) -> String { displayPath(dotted) }
}
