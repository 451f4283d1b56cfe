#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A per-thread reference to an object, installed for the duration of a closure: how a
/// program's memory budget and kernel context reach the kernels its thread runs.
struct ThreadLocalReference<Object: AnyObject>: Sendable {
  private let key: pthread_key_t

  /// A new slot (one per use; slots are never destroyed).
  init() {
    var key = pthread_key_t()
    let status = pthread_key_create(&key, nil)
    precondition(status == 0, "pthread_key_create failed")
    self.key = key
  }

  /// The object installed on the calling thread, if any.
  var current: Object? {
    guard let raw = pthread_getspecific(key) else { return nil }
    return Unmanaged<Object>.fromOpaque(raw).takeUnretainedValue()
  }

  /// Runs `body` with `object` installed on the calling thread, then restores the previous one.
  func with<R, E: Error>(_ object: Object, _ body: () throws(E) -> R) throws(E) -> R {
    let previous = pthread_getspecific(key)
    pthread_setspecific(key, Unmanaged.passUnretained(object).toOpaque())
    defer { pthread_setspecific(key, previous) }
    return try body()
  }
}
