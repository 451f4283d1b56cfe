import TensorCore

/// The variables of one session (or, eagerly, of one program), by their shared name, as
/// TensorFlow's resource manager holds them. Stateful ops read and write it when they run.
public final class ResourceStore {
  private var variables: [String: Tensor] = [:]

  /// An empty store.
  public init() {}

  /// The current value of a variable, nil while it is uninitialized.
  public subscript(variable name: String) -> Tensor? {
    get { variables[name] }
    set { variables[name] = newValue }
  }

  /// The value of a variable, or TensorFlow's error for reading it before initialization.
  public func read(_ name: String, resource: Bool) throws(OpError) -> Tensor {
    guard let value = variables[name] else {
      if resource {
        throw .failedPrecondition(
          "Could not find variable \(name). This could mean that the variable has been deleted. In TF1, it can "
            + "also mean the variable is uninitialized. Debug info: container=localhost, status error "
            + "message=Container localhost does not exist. (Could not find resource: localhost/\(name))"
        )
      }
      throw .failedPrecondition("Attempting to use uninitialized value \(name)")
    }
    return value
  }
}
