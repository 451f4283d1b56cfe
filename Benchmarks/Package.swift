// swift-tools-version:6.0
// Lockstep's benchmarks: engine figures next to references measured in the same process.
//
// A package of its own so that `make test` at the root never builds it; `make bench` runs it.
import PackageDescription

let package = Package(
  name: "LockstepBenchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    // The main package, whatever its checkout directory is called.
    .package(name: "Lockstep", path: "..")
  ],
  targets: [
    // `lockstep-bench`: prints one parseable line per figure.
    .executableTarget(
      name: "lockstep-bench",
      dependencies: [.product(name: "LockstepKit", package: "Lockstep")])
  ]
)
