/// A compact, deterministic text form of the AST with each node's position, for golden
/// tests and debugging: `(assign@1:1 (name x@1:1) (int 1@1:5))`.
extension Expr {
  /// The expression as an S-expression.
  public var dump: String {
    let at = "@\(start)"
    switch kind {
    case let .name(name): return "(name \(name)\(at))"
    case let .int(value): return "(int \(value)\(at))"
    case let .float(value): return "(float \(value)\(at))"
    case let .string(value): return "(str \(value.debugDescription)\(at))"
    case let .formatted(parts):
      return "(f\(at)"
        + parts.map { part in
          switch part {
          case let .literal(text): " \(text.debugDescription)"
          case let .field(value, conversion, spec):
            " {\(value.dump)\(conversion.map { "!\($0)" } ?? "")\(spec.isEmpty ? "" : ":" + spec)}"
          }
        }.joined() + ")"
    case let .bool(value): return "(\(value ? "True" : "False")\(at))"
    case .none: return "(None\(at))"
    case let .list(items): return "(list\(at)" + Self.joined(items) + ")"
    case let .tuple(items): return "(tuple\(at)" + Self.joined(items) + ")"
    case let .set(items): return "(set\(at)" + Self.joined(items) + ")"
    case let .dict(entries):
      return "(dict\(at)" + entries.map { " \($0.key.map(\.dump) ?? "*"):\($0.value.dump)" }.joined() + ")"
    case let .starred(value): return "(*\(at) \(value.dump))"
    case let .named(name, value): return "(:= \(name)\(at) \(value.dump))"
    case let .attribute(base, name): return "(. \(base.dump) \(name))"
    case let .subscript(base, index): return "([] \(base.dump) \(index.dump))"
    case let .slice(lower, upper, step):
      return "(slice\(at) \(lower?.dump ?? "_") \(upper?.dump ?? "_") \(step?.dump ?? "_"))"
    case let .call(callee, arguments):
      return "(call \(callee.dump)" + Self.arguments(arguments) + ")"
    case let .binary(op, lhs, rhs): return "(\(op.rawValue) \(lhs.dump) \(rhs.dump))"
    case let .unary(op, operand): return "(\(op.rawValue)\(at) \(operand.dump))"
    case let .compare(first, rest):
      return "(compare \(first.dump)" + rest.map { " \($0.op.rawValue) \($0.rhs.dump)" }.joined() + ")"
    case let .and(lhs, rhs): return "(and \(lhs.dump) \(rhs.dump))"
    case let .or(lhs, rhs): return "(or \(lhs.dump) \(rhs.dump))"
    case let .conditional(test, body, orElse): return "(if-expr \(test.dump) \(body.dump) \(orElse.dump))"
    case let .lambda(parameters, body): return "(lambda\(at) (\(Self.parameters(parameters))) \(body.dump))"
    case let .yield(value): return "(yield\(at)\(value.map { " " + $0.dump } ?? ""))"
    case let .yieldFrom(value): return "(yield-from\(at) \(value.dump))"
    case let .comprehension(kind, element, value, clauses):
      let head = element.dump + (value.map { ":" + $0.dump } ?? "")
      return "(\(kind.rawValue)-comp\(at) \(head)"
        + clauses.map { clause in
          switch clause {
          case let .for(target, iterable): " for \(target.dump) in \(iterable.dump)"
          case let .if(condition): " if \(condition.dump)"
          }
        }.joined() + ")"
    }
  }

  static func joined(_ items: [Expr]) -> String { items.map { " " + $0.dump }.joined() }

  static func parameters(_ parameters: [Parameter]) -> String {
    parameters.map { parameter in
      let prefix: String
      switch parameter.kind {
      case .positionalOnly: prefix = "/"
      case .normal: prefix = ""
      case .varPositional: prefix = "*"
      case .keywordOnly: prefix = "kw:"
      case .varKeyword: prefix = "**"
      }
      return prefix + parameter.name + (parameter.defaultValue.map { "=" + $0.dump } ?? "")
    }.joined(separator: " ")
  }

  static func arguments(_ arguments: [Argument]) -> String {
    arguments.map { argument in
      let prefix: String
      switch argument.unpacking {
      case .none: prefix = argument.keyword.map { "\($0)=" } ?? ""
      case .iterable: prefix = "*"
      case .mapping: prefix = "**"
      }
      return " " + prefix + argument.value.dump
    }.joined()
  }
}

extension Stmt {
  static func decorators(_ decorators: [Expr]) -> String { decorators.map { " @" + $0.dump }.joined() }

  /// The statement as an S-expression; nested blocks are bracketed.
  public var dump: String {
    let at = "@\(start)"
    func block(_ statements: [Stmt]) -> String { "[" + statements.map(\.dump).joined(separator: " ") + "]" }
    switch kind {
    case let .expression(expression): return "(expr\(at) \(expression.dump))"
    case let .assign(targets, value): return "(assign\(at)" + Expr.joined(targets) + " \(value.dump))"
    case let .augmentedAssign(target, op, value): return "(\(op.rawValue)=\(at) \(target.dump) \(value.dump))"
    case let .import(names):
      return "(import\(at) " + names.map { $0.name + ($0.alias.map { " as \($0)" } ?? "") }.joined(separator: ", ")
        + ")"
    case let .fromImport(module, names):
      return "(from\(at) \(module) "
        + names.map { $0.name + ($0.alias.map { " as \($0)" } ?? "") }.joined(separator: ", ") + ")"
    case let .with(items, body):
      return "(with\(at)" + items.map { " \($0.context.dump)" + ($0.target.map { " as \($0.dump)" } ?? "") }.joined()
        + " \(block(body)))"
    case let .for(target, iterable, body, orElse):
      return
        "(for\(at) \(target.dump) \(iterable.dump) \(block(body))\(orElse.isEmpty ? "" : " else " + block(orElse)))"
    case let .while(test, body, orElse):
      return "(while\(at) \(test.dump) \(block(body))\(orElse.isEmpty ? "" : " else " + block(orElse)))"
    case let .if(test, body, orElse):
      return "(if\(at) \(test.dump) \(block(body))\(orElse.isEmpty ? "" : " else " + block(orElse)))"
    case let .functionDef(name, parameters, body, decorators):
      return "(def\(at)\(Self.decorators(decorators)) \(name) (\(Expr.parameters(parameters))) \(block(body)))"
    case let .classDef(name, bases, body, decorators):
      return "(class\(at)\(Self.decorators(decorators)) \(name) (\(Expr.arguments(bases).dropFirst())) \(block(body)))"
    case let .global(names): return "(global\(at) \(names.joined(separator: " ")))"
    case let .nonlocal(names): return "(nonlocal\(at) \(names.joined(separator: " ")))"
    case let .return(value): return "(return\(at)\(value.map { " " + $0.dump } ?? ""))"
    case .pass: return "(pass\(at))"
    case .break: return "(break\(at))"
    case .continue: return "(continue\(at))"
    case let .try(body, handlers, orElse, finally):
      let handled = handlers.map { handler in
        " (except" + (handler.type.map { " " + $0.dump } ?? "") + (handler.name.map { " as \($0)" } ?? "")
          + " \(block(handler.body)))"
      }.joined()
      return "(try\(at) \(block(body))\(handled)" + (orElse.isEmpty ? "" : " else " + block(orElse))
        + (finally.isEmpty ? "" : " finally " + block(finally)) + ")"
    case let .raise(value, cause):
      return "(raise\(at)\(value.map { " " + $0.dump } ?? "")\(cause.map { " from " + $0.dump } ?? ""))"
    case let .annotatedAssign(target, annotation, value):
      return "(annotated\(at) \(target.dump) \(annotation.dump)\(value.map { " " + $0.dump } ?? ""))"
    case let .assert(test, message): return "(assert\(at) \(test.dump)\(message.map { " " + $0.dump } ?? ""))"
    case let .delete(targets): return "(del\(at)" + Expr.joined(targets) + ")"
    }
  }
}
