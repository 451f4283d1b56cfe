import Autodiff
import Operations
import PythonRuntime
import TensorCore

/// The TensorFlow a single program runs against: its version profile, execution mode,
/// default graph, and the modules it imports. One instance per program run, so two runs
/// never share state.
public final class TFRuntime {
  /// The version whose behaviour is modelled.
  public let profile: Profile
  /// The public API names of that version.
  let api: APITable
  /// Whether the program disabled eager execution (`disable_eager_execution`,
  /// `disable_v2_behavior`).
  private(set) var eagerDisabled = false
  /// Whether new graph variables are resource variables (TF2 behaviour) rather than TF1
  /// reference variables; `disable_v2_behavior` and `disable_resource_variables` turn it off.
  private(set) var resourceVariables = true
  /// The graph ops are added to when no `as_default()` block is open.
  private(set) var defaultGraph: Graph!
  @exclusivity(unchecked) private var graphStack: [Graph] = []
  private var moduleCache: [String: TFModule] = [:]
  /// The standard-library modules (`math`, `collections` …) of this program run.
  private let standardLibrary = StandardLibrary()
  private var implementations: [String: [String: PyValue]] = [:]
  /// Implementations registered for names the profile's TensorFlow lacks (a bug to fix).
  var unknownImplementations: [String] = []
  /// The last identity given to an eager tensor or variable. (This, the open tapes and the graph
  /// stack are read by every op and never held across a call: `@exclusivity(unchecked)`, as `Tape`.)
  @exclusivity(unchecked) private var lastTensorID = 0
  /// The gradient tapes whose `with` block is open, innermost last.
  @exclusivity(unchecked) var activeTapes: [GradientTapeObject] = []
  /// The backward passes of this program's tapes, traced to run again (a training loop's).
  let gradientTraces = GradientTraces()
  /// The eager name scope (`outer/inner/`) that eager variables' names start with.
  var eagerScopeName = ""
  /// Whether TF2 behaviour is on (`tf2.enabled()`); `disable_v2_behavior` turns it off.
  private(set) var tf2Enabled = true
  /// `tf.Module`, once registered (to tell modules apart while walking attributes).
  var moduleClass: HostClass?
  /// Signatures of the variable methods (`assign_sub` …) resolved under the profile, by name.
  var variableMethodSignatures: [String: [Arguments.Parameter]] = [:]

  /// Makes the runtime of one program under a profile.
  public init(profile: Profile) throws(RuntimeError) {
    self.profile = profile
    guard let table = APITableCache.table(for: profile) else {
      throw RuntimeError(
        .limitExceeded("the API table of TensorFlow \(profile.version) is missing from Lockstep's resources"))
    }
    api = table
    defaultGraph = Graph(runtime: self)
    registerAPI()
  }

  /// Serves `import` statements: anything that reaches the machine is refused; then the
  /// standard-library modules Lockstep implements, TensorFlow and NumPy; any other module is
  /// unsupported.
  public func importModule(_ dotted: String) throws(RuntimeError) -> PyValue {
    let root = String(dotted.split(separator: ".")[0])
    if Self.forbiddenModules.contains(root) {
      throw RuntimeError(
        .forbidden("import of '\(dotted)' is refused: scenarios cannot touch files, network or processes"))
    }
    if let module = standardLibrary.module(dotted) { return module }
    guard root == "tensorflow" || root == "numpy" else {
      throw .unsupported(
        "the module '\(dotted)' (scenarios may import tensorflow, numpy and the standard-library modules "
          + StandardLibrary.moduleNames.sorted().joined(separator: ", ") + ")")
    }
    guard let realName = api.resolveModule(dotted) else {
      throw .exception("ModuleNotFoundError", "No module named '\(dotted)'")
    }
    return .object(module(realName: realName, path: Self.displayPath(dotted)))
  }

  /// `tensorflow.compat.v1` as programs usually spell it: `tf.compat.v1` (`np` for NumPy).
  static func displayPath(_ dotted: String) -> String {
    for (full, short) in [("tensorflow", "tf"), ("numpy", "np")] where dotted == full || dotted.hasPrefix(full + ".") {
      return short + dotted.dropFirst(full.count)
    }
    return dotted
  }

  private static let forbiddenModules: Set<String> = [
    "os", "sys", "subprocess", "socket", "shutil", "pathlib", "io", "importlib", "ctypes",
    "builtins", "pickle", "marshal", "urllib", "http", "requests", "multiprocessing",
    "threading", "signal", "tempfile", "glob", "inspect", "gc", "code", "pty", "select",
  ]

  /// The module object for a real module name, reached by `path`.
  func module(realName: String, path: String) -> TFModule {
    if let cached = moduleCache[realName] { return cached }
    let module = TFModule(realName: realName, path: path, runtime: self)
    moduleCache[realName] = module
    return module
  }

  /// The Lockstep implementation of a module member, if there is one.
  func implementation(of name: String, in module: String) -> PyValue? {
    implementations[module]?[name]
  }

  /// Registers implemented members of a module by its real name. A member the real module
  /// does not have in this profile is not registered (so the program gets TF's
  /// AttributeError) and is listed in `unknownImplementations`.
  func register(_ module: String, _ members: [String: PyValue]) {
    for (name, value) in members {
      guard api.member(name, of: module) != nil else {
        unknownImplementations.append("\(module).\(name)")
        continue
      }
      implementations[module, default: [:]][name] = value
    }
  }

  /// A new eager tensor identity.
  public func newTensorID() -> Int {
    lastTensorID += 1
    return lastTensorID
  }

  // MARK: - Execution mode

  /// The graph new ops go into, or nil in eager mode.
  var currentGraph: Graph? {
    graphStack.last ?? (eagerDisabled ? defaultGraph : nil)
  }

  func disableEagerExecution() { eagerDisabled = true }

  /// `disable_v2_behavior`: graph mode and TF1 reference variables.
  func disableV2Behavior() {
    eagerDisabled = true
    tf2Enabled = false
    resourceVariables = false
  }

  func setResourceVariables(_ enabled: Bool) { resourceVariables = enabled }

  func enableEagerExecution() throws(RuntimeError) {
    guard !eagerDisabled else {
      throw .valueError("tf.enable_eager_execution must be called at program startup.")
    }
  }

  func pushGraph(_ graph: Graph) { graphStack.append(graph) }
  func popGraph() { graphStack.removeLast() }

  /// `tf.compat.v1.reset_default_graph()`.
  func resetDefaultGraph() throws(RuntimeError) {
    guard graphStack.isEmpty else {
      throw .exception(
        "AssertionError",
        "Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared graph, exit the nesting "
          + "and create a new graph."
      )
    }
    defaultGraph = Graph(runtime: self)
  }
}

/// The parsed API tables, loaded once per process and shared read-only.
enum APITableCache {
  private static let tables: [String: APITable] = {
    var result: [String: APITable] = [:]
    for profile in Profile.supported {
      if let table = try? APITable.load(profile) { result[profile.version] = table }
    }
    return result
  }()

  static func table(for profile: Profile) -> APITable? { tables[profile.version] }
}
