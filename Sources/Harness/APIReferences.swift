import PythonRuntime
import PythonSyntax
import TFModel

/// One TensorFlow or NumPy API a program references, resolved through its imports and
/// aliases, with what Lockstep does with it and every place it is used.
public struct APIReference: Sendable, Equatable {
  /// What Lockstep does with an API.
  public enum Status: String, Sendable, Equatable, CaseIterable {
    /// Lockstep implements it.
    case supported
    /// The real module has it but Lockstep does not model it: the program stops there with
    /// an `unsupported` error (also a module other than tensorflow and numpy).
    case unsupported
    /// The profile's TensorFlow or NumPy has no such name: real TensorFlow raises too.
    case notInTF = "not in TF"
  }

  /// The API as the program reaches it, aliases expanded (`tf.compat.v1.placeholder`).
  public var path: String
  /// What Lockstep does with it.
  public var status: Status
  /// Where the program uses it, as file positions, in order.
  public var locations: [SourcePosition]
}

/// Finds the APIs a program references without running it: walks the parsed program,
/// tracking names bound by `import`, `from … import` and plain assignment of a module
/// (`layers = tf.keras.layers`), and resolves each attribute chain on such a name (`tf.nn.relu`)
/// member by member through the runtime's own lookup, stopping at the first member that is
/// not a module. Names are tracked through the program in order, not per scope.
struct APIReferenceCollector {
  /// A name bound to a module: its real `__name__` and the path the program reached it by.
  private struct ModuleBinding {
    var realName: String
    var path: String
  }

  private let runtime: TFRuntime
  private let source: SourceFile
  private var bindings: [String: ModuleBinding] = [:]
  private var order: [String] = []
  private var found: [String: APIReference] = [:]

  init(runtime: TFRuntime, source: SourceFile) {
    self.runtime = runtime
    self.source = source
  }

  /// The references of `program`, in order of first use.
  static func references(in program: [Stmt], source: SourceFile, runtime: TFRuntime) -> [APIReference] {
    var collector = APIReferenceCollector(runtime: runtime, source: source)
    collector.visit(program)
    return collector.order.compactMap { collector.found[$0] }
  }

  private mutating func record(_ path: String, _ status: APIReference.Status, at position: SourcePosition) {
    let location = source.fileLocation(position)
    if found[path] == nil {
      order.append(path)
      found[path] = APIReference(path: path, status: status, locations: [location])
    } else {
      found[path]!.locations.append(location)
    }
  }

  // MARK: - Imports

  private mutating func importModules(_ names: [ImportName], at position: SourcePosition) {
    for name in names {
      let root = String(name.name.split(separator: ".").first ?? "")
      guard let realName = runtime.realModuleName(importing: name.name) else {
        recordMissingModule(name.name, at: position)
        continue
      }
      let display = TFRuntime.displayName(ofImport: name.name)
      if let alias = name.alias {
        bindings[alias] = ModuleBinding(realName: realName, path: display)
      } else if let rootModule = runtime.realModuleName(importing: root) {
        bindings[root] = ModuleBinding(realName: rootModule, path: TFRuntime.displayName(ofImport: root))
      }
    }
  }

  /// An imported module the runtime does not serve as a TF or NumPy module: nothing for a
  /// standard-library module Lockstep provides (not a TF API), not in TF when TensorFlow or
  /// NumPy lacks it, unsupported for any other module.
  private mutating func recordMissingModule(_ dotted: String, at position: SourcePosition) {
    let root = String(dotted.split(separator: ".").first ?? "")
    if StandardLibrary.moduleNames.contains(root) { return }
    if root == "tensorflow" || root == "numpy" {
      record(TFRuntime.displayName(ofImport: dotted), .notInTF, at: position)
    } else {
      record(dotted, .unsupported, at: position)
    }
  }

  private mutating func importMembers(_ names: [ImportName], from module: String, at position: SourcePosition) {
    guard let realName = runtime.realModuleName(importing: module) else {
      recordMissingModule(module, at: position)
      return
    }
    let display = TFRuntime.displayName(ofImport: module)
    for name in names {
      let bound = name.alias ?? name.name
      switch runtime.status(of: name.name, inModule: realName) {
      case let .module(child):
        bindings[bound] = ModuleBinding(realName: child, path: "\(display).\(name.name)")
      case .supported:
        bindings[bound] = nil
        record("\(display).\(name.name)", .supported, at: position)
      case .unsupported:
        bindings[bound] = nil
        record("\(display).\(name.name)", .unsupported, at: position)
      case .notInModule:
        bindings[bound] = nil
        record("\(display).\(name.name)", .notInTF, at: position)
      }
    }
  }

  // MARK: - Attribute chains

  /// `root.a.b.c` as its root name and attribute names; nil for any other expression.
  private static func chain(_ expression: Expr) -> (root: String, attributes: [String])? {
    switch expression.kind {
    case let .name(name): return (name, [])
    case let .attribute(base, name):
      guard let (root, attributes) = chain(base) else { return nil }
      return (root, attributes + [name])
    default: return nil
    }
  }

  /// Resolves an attribute chain on a module name, recording the first non-module member;
  /// returns the module the whole chain names, if it names one.
  @discardableResult
  private mutating func resolve(_ root: String, _ attributes: [String], at position: SourcePosition)
    -> ModuleBinding?
  {
    guard var current = bindings[root] else { return nil }
    for attribute in attributes {
      let path = "\(current.path).\(attribute)"
      switch runtime.status(of: attribute, inModule: current.realName) {
      case let .module(child): current = ModuleBinding(realName: child, path: path)
      case .supported:
        record(path, .supported, at: position)
        return nil
      case .unsupported:
        record(path, .unsupported, at: position)
        return nil
      case .notInModule:
        record(path, .notInTF, at: position)
        return nil
      }
    }
    return current
  }

  // MARK: - Walking the program

  private mutating func visit(_ block: [Stmt]) {
    for statement in block { visit(statement) }
  }

  private mutating func visit(_ statement: Stmt) {
    switch statement.kind {
    case let .assign(targets, value):
      // An assignment of a module (`nn = tf.nn`) binds the target name to it.
      visit(value)
      let module = Self.chain(value).flatMap { resolveSilently($0.root, $0.attributes) }
      for target in targets {
        if case let .name(name) = target.kind { bindings[name] = module } else { visit(target) }
      }
    case let .import(names): importModules(names, at: statement.start)
    case let .fromImport(module, names): importMembers(names, from: module, at: statement.start)
    default:
      for part in statement.parts {
        switch part {
        case let .expression(expression): visit(expression)
        case let .block(block): visit(block)
        }
      }
    }
  }

  /// The module a chain names, without recording anything (its members were recorded when
  /// the value was visited).
  private func resolveSilently(_ root: String, _ attributes: [String]) -> ModuleBinding? {
    guard var current = bindings[root] else { return nil }
    for attribute in attributes {
      guard case let .module(child) = runtime.status(of: attribute, inModule: current.realName) else { return nil }
      current = ModuleBinding(realName: child, path: "\(current.path).\(attribute)")
    }
    return current
  }

  private mutating func visit(_ expression: Expr) {
    if let (root, attributes) = Self.chain(expression) {
      resolve(root, attributes, at: expression.start)
      return
    }
    for child in expression.children { visit(child) }
  }
}
