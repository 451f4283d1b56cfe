import CBLAS
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// OpenBLAS's GEMM, loaded with `dlopen` on first use after choosing its core type.
///
/// OpenBLAS picks its kernels once, while the library initialises, from `OPENBLAS_CORETYPE` or
/// its own CPU detection, which falls back to slow kernels on CPUs it does not recognise. So the
/// package does not link it: the first call here sets `OPENBLAS_CORETYPE` from the CPU's
/// features (unless the environment already sets it), then loads `libopenblas.so.0` and sets
/// its thread count to the active core count (or what `OPENBLAS_NUM_THREADS`, `GOTO_NUM_THREADS`
/// or `OMP_NUM_THREADS` sets), but never fewer than two: OpenBLAS's single-threaded path sums in
/// another order, while every count from two up gives the same bits, so a result never depends
/// on the machine's cores or that setting. This happens exactly once per process, on any thread.
public enum BLAS {
  /// Where the `OPENBLAS_CORETYPE` that OpenBLAS loaded with came from.
  public enum CoreTypeChoice: Equatable, Sendable {
    /// The environment already set it to this value, which was left untouched.
    case inherited(String)
    /// Lockstep set it to this core from the CPU's features (CPUID and XGETBV).
    case detected(String)
    /// Nothing set it: OpenBLAS detected the CPU itself.
    case openBLASDefault
  }

  /// How `OPENBLAS_CORETYPE` was chosen; reading it makes the choice (and sets the variable).
  public static let coreTypeChoice: CoreTypeChoice = {
    let variable = "OPENBLAS_CORETYPE"
    if let value = getenv(variable) { return .inherited(String(cString: value)) }
    guard let core = coreType(for: lockstep_x86_probe()) else { return .openBLASDefault }
    setenv(variable, core, 0)
    return .detected(core)
  }()

  /// The kernel set OpenBLAS runs (`openblas_get_corename`, e.g. `Haswell`); empty when
  /// OpenBLAS cannot be loaded.
  public static var coreName: String {
    guard case let .success(library) = library, let name = library.coreName() else { return "" }
    return String(cString: name)
  }

  /// The number of threads OpenBLAS computes with; 0 when OpenBLAS cannot be loaded.
  public static var threadCount: Int {
    guard case let .success(library) = library else { return 0 }
    return Int(library.threadCount())
  }

  /// Sets the threads OpenBLAS computes with to `count`, never fewer than two (as above), unless
  /// `OPENBLAS_NUM_THREADS`, `GOTO_NUM_THREADS` or `OMP_NUM_THREADS` chose them; returns the count
  /// in use (0 when OpenBLAS cannot be loaded). Call it before other threads run GEMMs.
  @discardableResult
  public static func setThreadCount(_ count: Int) -> Int {
    guard case let .success(library) = library else { return 0 }
    if !OpenBLASLibrary.threadsFromEnvironment { library.setThreadCount(Int32(clamping: Swift.max(2, count))) }
    return Int(library.threadCount())
  }

  /// Row-major C = alpha * op(A) * op(B) + beta * C, in float32.
  ///
  /// op(A) is m×k, op(B) is k×n and C is m×n; `lda`, `ldb` and `ldc` are the row strides of A,
  /// B and C as stored (before transposition). Throws `backendUnavailable` when OpenBLAS
  /// cannot be loaded and `invalidArgument` on sizes or strides OpenBLAS would reject.
  public static func sgemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) throws(TensorError) {
    try GEMMArguments(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, lda: lda, ldb: ldb, ldc: ldc)
      .call(library.get().sgemm, alpha: alpha, a: a, b: b, beta: beta, c: c)
  }

  /// Row-major C = alpha * op(A) * op(B) + beta * C, in float64; arguments as for `sgemm`.
  public static func dgemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
    a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int, beta: Double,
    c: UnsafeMutablePointer<Double>, ldc: Int
  ) throws(TensorError) {
    try GEMMArguments(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, lda: lda, ldb: ldb, ldc: ldc)
      .call(library.get().dgemm, alpha: alpha, a: a, b: b, beta: beta, c: c)
  }

  /// The OpenBLAS core for these CPU features: `SkylakeX` with AVX-512, `Haswell` with AVX2
  /// and FMA, otherwise nil (OpenBLAS's own choice).
  static func coreType(for features: lockstep_x86_features) -> String? {
    if features.avx512 { return "SkylakeX" }
    if features.avx2 && features.fma { return "Haswell" }
    return nil
  }

  /// OpenBLAS, loaded once, after `coreTypeChoice` has set the environment.
  private static let library: Result<OpenBLASLibrary, TensorError> = {
    _ = coreTypeChoice
    return Result { () throws(TensorError) in try OpenBLASLibrary.load() }
  }()
}

/// The entry points of a loaded OpenBLAS. The library is never unloaded.
private struct OpenBLASLibrary: Sendable {
  let sgemm: lockstep_sgemm_fn
  let dgemm: lockstep_dgemm_fn
  let coreName: lockstep_get_corename_fn
  let threadCount: lockstep_get_num_threads_fn
  let setThreadCount: lockstep_set_num_threads_fn

  /// Whether the environment sets OpenBLAS's thread count, which Lockstep then leaves alone.
  static var threadsFromEnvironment: Bool {
    let names = ["OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"]
    return names.contains { (name: String) in getenv(name) != nil }
  }

  /// The file names tried, in order.
  #if os(macOS)
    static let fileNames = [
      "libopenblas.0.dylib", "libopenblas.dylib", "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
      "/usr/local/opt/openblas/lib/libopenblas.dylib",
    ]
  #else
    static let fileNames = ["libopenblas.so.0", "libopenblas.so"]
  #endif

  /// Loads the first of `fileNames` that opens, resolves its symbols and sets its thread count.
  static func load() throws(TensorError) -> OpenBLASLibrary {
    var failures: [String] = []
    for fileName in fileNames {
      guard let handle = dlopen(fileName, RTLD_NOW | RTLD_LOCAL) else {
        failures.append(dlerror().map { String(cString: $0) } ?? "\(fileName): cannot be opened")
        continue
      }
      /// The symbol `name` as a C function of type `T`, or nil when the library lacks it.
      func symbol<T>(_ name: String, as type: T.Type) -> T? {
        guard let address = dlsym(handle, name) else {
          failures.append("\(fileName) has no symbol \(name)")
          return nil
        }
        return unsafeBitCast(address, to: type)
      }
      guard let sgemm = symbol("cblas_sgemm", as: lockstep_sgemm_fn.self),
        let dgemm = symbol("cblas_dgemm", as: lockstep_dgemm_fn.self),
        let coreName = symbol("openblas_get_corename", as: lockstep_get_corename_fn.self),
        let setThreadCount = symbol("openblas_set_num_threads", as: lockstep_set_num_threads_fn.self),
        let threadCount = symbol("openblas_get_num_threads", as: lockstep_get_num_threads_fn.self)
      else {
        dlclose(handle)
        continue
      }
      if !threadsFromEnvironment {
        setThreadCount(Int32(clamping: Swift.max(2, ProcessInfo.processInfo.activeProcessorCount)))
      } else if threadCount() < 2 {
        setThreadCount(2)
      }
      return OpenBLASLibrary(
        sgemm: sgemm, dgemm: dgemm, coreName: coreName, threadCount: threadCount, setThreadCount: setThreadCount)
    }
    throw .backendUnavailable(
      "OpenBLAS, which matmul runs on, could not be loaded (\(failures.joined(separator: "; "))). "
        + "Install libopenblas.so.0 with `make deps` or `sudo apt-get install libopenblas-dev`.")
  }
}

/// GEMM sizes and strides checked and converted to OpenBLAS's 32-bit integers.
private struct GEMMArguments {
  let transA, transB, m, n, k, lda, ldb, ldc: Int32

  /// Checks what OpenBLAS's own argument check would reject (it prints and returns instead).
  init(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, lda: Int, ldb: Int, ldc: Int
  ) throws(TensorError) {
    /// `value` as an Int32 when it is at least `minimum`.
    func checked(_ value: Int, _ name: String, atLeast minimum: Int) throws(TensorError) -> Int32 {
      guard value >= minimum, let result = Int32(exactly: value) else {
        throw .invalidArgument("GEMM \(name) must be in \(minimum)...\(Int32.max), not \(value)")
      }
      return result
    }
    self.m = try checked(m, "m", atLeast: 0)
    self.n = try checked(n, "n", atLeast: 0)
    self.k = try checked(k, "k", atLeast: 0)
    self.lda = try checked(lda, "lda", atLeast: max(1, transposeA ? m : k))
    self.ldb = try checked(ldb, "ldb", atLeast: max(1, transposeB ? k : n))
    self.ldc = try checked(ldc, "ldc", atLeast: max(1, n))
    transA = transposeA ? LOCKSTEP_CBLAS_TRANS : LOCKSTEP_CBLAS_NO_TRANS
    transB = transposeB ? LOCKSTEP_CBLAS_TRANS : LOCKSTEP_CBLAS_NO_TRANS
  }

  /// Calls `gemm` (`cblas_sgemm` or `cblas_dgemm`) in row-major order with these arguments.
  func call<T>(
    _ gemm: GEMMFunction<T>, alpha: T, a: UnsafePointer<T>, b: UnsafePointer<T>, beta: T,
    c: UnsafeMutablePointer<T>
  ) {
    gemm(LOCKSTEP_CBLAS_ROW_MAJOR, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
  }
}

/// The Swift type of `cblas_sgemm` (T = Float) and `cblas_dgemm` (T = Double).
private typealias GEMMFunction<T> = (
  Int32, Int32, Int32, Int32, Int32, Int32, T, UnsafePointer<T>?, Int32, UnsafePointer<T>?, Int32, T,
  UnsafeMutablePointer<T>?, Int32
) -> Void
