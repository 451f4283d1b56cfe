// swift-tools-version:6.0
// Lockstep: does a TensorFlow 2 rewrite still compute what the TensorFlow 1 program computed?
//
// Targets are listed in pipeline order: a scenario flows
// YAML file -> two Python programs -> tokens -> AST -> interpreter calling the TF model
// -> engine ops -> values -> comparator -> baseline store -> text report.
import PackageDescription

let package = Package(
  name: "Lockstep",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "lockstep", targets: ["lockstep"]),
    // The engine and harness as a library, for the benchmarks package and other Swift packages.
    .library(
      name: "LockstepKit",
      targets: ["Harness", "TFModel", "PythonSyntax", "Autodiff", "Dataflow", "Operations", "TensorCore"]),
    // For another package's test target: `assertScenarios()` and the `.lockstep(record:)` trait
    // (kept apart from LockstepKit so executables using the engine do not link Swift Testing).
    .library(name: "LockstepTesting", targets: ["LockstepTesting"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.0"),
  ],
  targets: [
    // OpenBLAS's C function types, a CPUID probe and the allocator setting; headers only,
    // nothing linked (TensorCore's BLAS loads libopenblas.so.0 at run time).
    .systemLibrary(name: "CBLAS"),
    // Tensors -> values: typed buffers under a memory budget, and the kernel drivers ops use
    // (element-wise, reductions and exp/log in TF's order, GEMM, conv2d).
    .target(
      name: "TensorCore",
      dependencies: ["CBLAS", .product(name: "RealModule", package: "swift-numerics")]),
    // The op registry: each TensorFlow op declared once (signature from TF's registry,
    // inference, kernel, gradient), in family folders.
    .target(name: "Operations", dependencies: ["TensorCore"], resources: [.copy("Resources")]),
    // Ops -> graphs: nodes wired by outputs and control inputs, and the one executor that runs them.
    .target(name: "Dataflow", dependencies: ["Operations"]),
    // The gradient drivers (graph gradients and the eager tape) over the ops' rules.
    .target(name: "Autodiff", dependencies: ["Operations", "Dataflow"]),
    // Source text -> tokens -> AST.
    .target(name: "PythonSyntax"),
    // AST -> execution: values, scopes, builtins, Python exceptions.
    .target(name: "PythonRuntime", dependencies: ["PythonSyntax"]),
    // The modules a program imports (tf, tf.compat.v1, numpy), graph and eager mode, per version.
    .target(
      name: "TFModel", dependencies: ["PythonRuntime", "TensorCore", "Operations", "Dataflow", "Autodiff"],
      resources: [.copy("Resources")]),
    // Scenario files -> both programs run -> comparison, baselines and reports.
    .target(name: "Harness", dependencies: ["TFModel", .product(name: "Yams", package: "Yams")]),
    // A package's own scenarios from its Swift Testing tests: `assertScenarios()` and the
    // `.lockstep(record:)` trait.
    .target(name: "LockstepTesting", dependencies: ["Harness"]),
    // The command line; the only target that imports ArgumentParser.
    .executableTarget(
      name: "lockstep",
      dependencies: ["Harness", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

    .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore"]),
    .testTarget(name: "OperationsTests", dependencies: ["Operations", "TensorCore"]),
    .testTarget(name: "DataflowTests", dependencies: ["Dataflow", "Operations", "TensorCore"]),
    .testTarget(name: "AutodiffTests", dependencies: ["Autodiff", "Dataflow", "Operations", "TensorCore"]),
    .testTarget(name: "PythonSyntaxTests", dependencies: ["PythonSyntax"]),
    .testTarget(name: "PythonRuntimeTests", dependencies: ["PythonRuntime"], resources: [.copy("Conformance")]),
    .testTarget(name: "TFModelTests", dependencies: ["TFModel"]),
    .testTarget(name: "HarnessTests", dependencies: ["Harness"], resources: [.copy("BadInputs")]),
    .testTarget(name: "lockstepTests", dependencies: ["lockstep"]),
    .testTarget(name: "LockstepTestingTests", dependencies: ["LockstepTesting", "Harness"]),
  ]
)
