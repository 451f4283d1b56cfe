import ArgumentParser
import TFModel

extension Lockstep {
  /// `lockstep defaults`: prints the profile table of defaults for one profile.
  struct DefaultsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "defaults",
      abstract: "Print each modelled API's parameter defaults under a TensorFlow version.",
      discussion: "Defaults marked * change numbers: reports list them when a program relies on them.")

    @Option(help: ArgumentHelp("The TensorFlow version whose defaults to print.", valueName: "version"))
    var profile: String = Profile.newest.version

    @Argument(help: ArgumentHelp("Only APIs whose name contains this text.", valueName: "pattern"))
    var pattern: String?

    func run() throws {
      guard let profile = Profile.named(profile) else {
        printError(
          "error: Lockstep does not model TensorFlow \(self.profile); it models "
            + "\(Profile.supported.map(\.version).joined(separator: ", "))"
        )
        throw ExitStatus.badInput.code
      }
      print("# defaults under TensorFlow \(profile.version) (* changes numbers)")
      for entry in DefaultsTable.bundled.entries {
        let apis = entry.apis.filter { pattern.map($0.contains) ?? true }
        guard !apis.isEmpty, let value = entry.value(for: profile) else { continue }
        let mark = entry.changesNumbers ? "*" : " "
        print("\(mark) \(apis.joined(separator: ", ")) \(entry.parameter)=\(value)")
      }
    }
  }
}
