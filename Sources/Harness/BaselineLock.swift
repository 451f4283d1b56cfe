import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An exclusive lock on a project's baselines, held while a process writes or removes them
/// (`flock` on `.lockstep/baselines.lock`, released when the lock is dropped or the process
/// dies, even by SIGKILL). A second process fails at once with a clear message instead of
/// interleaving its writes with the first's.
public final class BaselineLock: @unchecked Sendable {
  private let descriptor: Int32

  /// Takes the lock at `path`, or throws when another process holds it.
  public init(path: String) throws(BaselineWriteError) {
    let folder = (path as NSString).deletingLastPathComponent
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let descriptor = open(path, O_CREAT | O_RDWR, 0o644)
    guard descriptor >= 0 else {
      throw BaselineWriteError(
        message: "\(path): error: cannot open the lock file: \(String(cString: strerror(errno)))")
    }
    guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
      close(descriptor)
      throw BaselineWriteError(
        message: "\(path): error: another lockstep process is changing the baselines of this project; "
          + "try again when it has finished")
    }
    self.descriptor = descriptor
  }

  deinit {
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }
}

extension Workspace {
  /// Locks the baselines for writing and removes temporary files an interrupted write left
  /// behind.
  public func lockBaselines() throws(BaselineWriteError) -> BaselineLock {
    let lock = try BaselineLock(path: baselinesLockPath)
    baselines.removeTemporaryFiles()
    return lock
  }
}
