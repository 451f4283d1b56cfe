/// The one description of what each node holds, in source order, for the passes that walk
/// the tree (scope analysis, `lockstep check`), so that a node kind added to the AST is
/// handled in one place.
extension Expr {
  /// The expressions directly inside this one, in source order (a comprehension's clauses
  /// before its element, as they run).
  public var children: [Expr] {
    switch kind {
    case .name, .int, .float, .string, .bool, .none: return []
    case let .formatted(parts):
      return parts.compactMap { part in
        if case let .field(value, _, _) = part { return value }
        return nil
      }
    case let .list(items), let .tuple(items), let .set(items): return items
    case let .dict(entries): return entries.flatMap { [$0.key, $0.value].compactMap { $0 } }
    case let .starred(value), let .named(_, value), let .attribute(value, _), let .unary(_, value),
      let .yieldFrom(value):
      return [value]
    case let .yield(value): return value.map { [$0] } ?? []
    case let .subscript(base, index): return [base, index]
    case let .slice(lower, upper, step): return [lower, upper, step].compactMap { $0 }
    case let .call(callee, arguments): return [callee] + arguments.map(\.value)
    case let .binary(_, lhs, rhs), let .and(lhs, rhs), let .or(lhs, rhs): return [lhs, rhs]
    case let .compare(first, rest): return [first] + rest.map(\.rhs)
    case let .conditional(test, body, orElse): return [test, body, orElse]
    case let .lambda(parameters, body): return parameters.compactMap(\.defaultValue) + [body]
    case let .comprehension(_, element, value, clauses):
      let inClauses = clauses.flatMap { clause -> [Expr] in
        switch clause {
        case let .for(target, iterable): [target, iterable]
        case let .if(condition): [condition]
        }
      }
      return inClauses + [element] + (value.map { [$0] } ?? [])
    }
  }
}

/// A part of a statement: an expression evaluated where the statement runs, or a nested block.
public enum StatementPart {
  case expression(Expr)
  case block([Stmt])
}

extension Stmt {
  /// The statement's expressions and nested blocks in source order: a `def`'s decorators and
  /// defaults, then its body; a `try`'s body, each handler's type and block, `else`, `finally`.
  public var parts: [StatementPart] {
    func expressions(_ values: [Expr?]) -> [StatementPart] { values.compactMap { $0.map(StatementPart.expression) } }
    switch kind {
    case let .expression(value): return [.expression(value)]
    case let .assign(targets, value): return expressions(targets + [value])
    case let .augmentedAssign(target, _, value): return expressions([target, value])
    case let .annotatedAssign(target, annotation, value): return expressions([target, annotation, value])
    case .import, .fromImport, .global, .nonlocal, .pass, .break, .continue: return []
    case let .with(items, body): return expressions(items.flatMap { [$0.context, $0.target] }) + [.block(body)]
    case let .for(target, iterable, body, orElse):
      return expressions([target, iterable]) + [.block(body), .block(orElse)]
    case let .while(test, body, orElse), let .if(test, body, orElse):
      return [.expression(test), .block(body), .block(orElse)]
    case let .functionDef(_, parameters, body, decorators):
      return expressions(decorators + parameters.map(\.defaultValue)) + [.block(body)]
    case let .classDef(_, bases, body, decorators):
      return expressions(decorators + bases.map(\.value)) + [.block(body)]
    case let .return(value): return expressions([value])
    case let .try(body, handlers, orElse, finally):
      return [.block(body)] + handlers.flatMap { expressions([$0.type]) + [.block($0.body)] } + [
        .block(orElse), .block(finally),
      ]
    case let .raise(value, cause): return expressions([value, cause])
    case let .assert(test, message): return expressions([test, message])
    case let .delete(targets): return expressions(targets)
    }
  }

  /// The statement's own expressions (those of nested blocks excluded).
  public var expressions: [Expr] {
    parts.compactMap { part in
      if case let .expression(value) = part { return value }
      return nil
    }
  }
}
