import PythonSyntax

/// Statements: each counts its step and places its errors as `Interpreter.execute` does.
extension Compiler {
  /// Counts a statement's step and runs it, placing an error it throws at the statement.
  @inline(__always)
  static func run(_ interpreter: Interpreter, at: SourcePosition, _ body: () throws(RuntimeError) -> Interpreter.Flow)
    throws(RuntimeError) -> Interpreter.Flow
  {
    do {
      try interpreter.step(at: at)
      return try body()
    } catch {
      throw error.located(at: at)
    }
  }

  /// Compiles one statement.
  func statement(_ statement: Stmt) -> CompiledBlock {
    let at = statement.start
    switch statement.kind {
    case let .expression(expression):
      let value = self.expression(expression)
      return { interpreter, scope throws(RuntimeError) in
        try Compiler.run(interpreter, at: at) { () throws(RuntimeError) in
          _ = try value(interpreter, scope)
          return .normal
        }
      }
    case let .assign(targets, value):
      let value = expression(value)
      if targets.count == 1, let (slot, _) = localSlot(targets[0]) {
        return { interpreter, scope throws(RuntimeError) in
          try Compiler.run(interpreter, at: at) { () throws(RuntimeError) in
            scope.slots[slot] = try value(interpreter, scope)
            return .normal
          }
        }
      }
      if targets.count == 1 {
        let target = store(targets[0])
        return { interpreter, scope throws(RuntimeError) in
          try Compiler.run(interpreter, at: at) { () throws(RuntimeError) in
            try target(interpreter, scope, try value(interpreter, scope))
            return .normal
          }
        }
      }
      let stores = targets.map(store)
      return { interpreter, scope throws(RuntimeError) in
        try Compiler.run(interpreter, at: at) { () throws(RuntimeError) in
          let result = try value(interpreter, scope)
          for target in stores { try target(interpreter, scope, result) }
          return .normal
        }
      }
    case let .augmentedAssign(target, op, value):
      return augmentedAssignment(target, op, value, statement: statement)
    case let .if(test, body, orElse):
      let (test, body, orElse) = (condition(test, at: test.start), block(body), block(orElse))
      return { interpreter, scope throws(RuntimeError) in
        try Compiler.run(interpreter, at: at) { () throws(RuntimeError) in
          try test(interpreter, scope) ? try body(interpreter, scope) : try orElse(interpreter, scope)
        }
      }
    case let .while(test, body, orElse):
      let (test, body, orElse) = (condition(test, at: test.start), block(body), block(orElse))
      return { interpreter, scope throws(RuntimeError) in
        try Compiler.run(interpreter, at: at) { () throws(RuntimeError) in
          while try test(interpreter, scope) {
            try interpreter.step(at: at)
            switch try body(interpreter, scope) {
            case .broke: return .normal
            case let .returned(value): return .returned(value)
            case .normal, .continued: continue
            }
          }
          return try orElse(interpreter, scope)
        }
      }
    case let .for(target, iterable, body, orElse):
      return forLoop(target, iterable, block(body), block(orElse), at: at)
    case let .return(value):
      guard let value else {
        return { interpreter, _ throws(RuntimeError) in
          try Compiler.run(interpreter, at: at) { () throws(RuntimeError) in .returned(.none) }
        }
      }
      let result = expression(value)
      return { interpreter, scope throws(RuntimeError) in
        try Compiler.run(interpreter, at: at) { () throws(RuntimeError) in .returned(try result(interpreter, scope)) }
      }
    case .pass, .global, .nonlocal: return flow(.normal, at: at)
    case .break: return flow(.broke, at: at)
    case .continue: return flow(.continued, at: at)
    case let .functionDef(name, parameters, body, decorators):
      return functionDefinition(name, parameters, body, decorators, at: at)
    case let .try(body, handlers, orElse, finally):
      return tryStatement(body, handlers, orElse, finally, at: at)
    case let .with(items, body):
      let body = block(body)
      return { interpreter, scope throws(RuntimeError) in
        try Compiler.run(interpreter, at: at) { () throws(RuntimeError) in
          try interpreter.executeWith(
            items[...], body: { () throws(RuntimeError) in try body(interpreter, scope) }, in: scope)
        }
      }
    default:
      return treeWalked(statement)
    }
  }

  /// `try`/`except`/`else`/`finally` with compiled blocks (`Interpreter.executeTry` matches
  /// the handlers).
  private func tryStatement(
    _ body: [Stmt], _ handlers: [ExceptHandler], _ orElse: [Stmt], _ finally: [Stmt], at: SourcePosition
  ) -> CompiledBlock {
    let (body, orElse, final, hasFinally) = (block(body), block(orElse), block(finally), !finally.isEmpty)
    let handlerBodies = handlers.map { StatementCode(run: block($0.body)) }
    return { interpreter, scope throws(RuntimeError) in
      try Compiler.run(interpreter, at: at) { () throws(RuntimeError) in
        try interpreter.executeTry(
          body: { () throws(RuntimeError) in try body(interpreter, scope) }, handlers: handlers,
          handler: { index throws(RuntimeError) in try handlerBodies[index].run(interpreter, scope) },
          orElse: { () throws(RuntimeError) in try orElse(interpreter, scope) },
          finally: { () throws(RuntimeError) in try final(interpreter, scope) }, hasFinally: hasFinally, in: scope)
      }
    }
  }

  private func flow(_ flow: Interpreter.Flow, at: SourcePosition) -> CompiledBlock {
    { interpreter, _ throws(RuntimeError) in try Compiler.run(interpreter, at: at) { () throws(RuntimeError) in flow } }
  }

  /// `target op= value`: the target's container evaluated once; lists, sets and dicts update
  /// in place.
  private func augmentedAssignment(_ target: Expr, _ op: BinaryOperator, _ value: Expr, statement: Stmt)
    -> CompiledBlock
  {
    let at = statement.start
    let operand = expression(value)
    /// The new value from the current one: numbers directly, then in place, then `op`.
    @inline(__always)
    func updated(_ interpreter: Interpreter, _ current: PyValue, _ operand: PyValue) throws(RuntimeError) -> PyValue {
      if let result = Compiler.arithmetic(op, current, operand) { return result }
      if let result = try interpreter.inPlace(op, current, operand, at: at) { return result }
      return try interpreter.binary(op, current, operand, at: at)
    }
    switch target.kind {
    case let .name(name):
      if let (slot, _) = localSlot(target) {
        // `total += x` on a local: the slot read and written in place.
        return { interpreter, scope throws(RuntimeError) in
          try Compiler.run(interpreter, at: at) { () throws(RuntimeError) in
            guard let current = scope.slots[slot] else {
              throw interpreter.unboundLocal(name).located(at: target.start)
            }
            scope.slots[slot] = try updated(interpreter, current, try operand(interpreter, scope))
            return .normal
          }
        }
      }
      let (load, store) = (self.load(name, at: target.start), storeName(name))
      return { interpreter, scope throws(RuntimeError) in
        try Compiler.run(interpreter, at: at) { () throws(RuntimeError) in
          let current = try load(interpreter, scope)
          try store(interpreter, scope, try updated(interpreter, current, try operand(interpreter, scope)))
          return .normal
        }
      }
    case let .attribute(base, name) where !name.isDunder:
      let (base, key, cache) = (self.operand(base), AttributeName(name), ClassLookupCache())
      return { interpreter, scope throws(RuntimeError) in
        try Compiler.run(interpreter, at: at) { () throws(RuntimeError) in
          let object = try base.value(interpreter, scope)
          let current = try located(target.start) { () throws(RuntimeError) in
            if let instance = programInstance(object), let own = instance.attributes.value(key) { return own }
            return try interpreter.getAttribute(object, name, at: target.start)
          }
          let result = try updated(interpreter, current, try operand(interpreter, scope))
          try Compiler.setAttribute(interpreter, object, key, result, plain: true, cache: cache, at: target.start)
          return .normal
        }
      }
    case let .subscript(base, index):
      let (base, index) = (expression(base), sliceOrExpression(index))
      return { interpreter, scope throws(RuntimeError) in
        try Compiler.run(interpreter, at: at) { () throws(RuntimeError) in
          let container = try base(interpreter, scope)
          let key = try index(interpreter, scope)
          let current = try located(target.start) { () throws(RuntimeError) in
            try interpreter.item(container, key, at: target.start)
          }
          let result = try updated(interpreter, current, try operand(interpreter, scope))
          try interpreter.setItem(container, key, result, at: target.start)
          return .normal
        }
      }
    default:
      return treeWalked(statement)
    }
  }

  /// A `for` loop with its `else` block.
  private func forLoop(
    _ target: Expr, _ iterable: Expr, _ body: @escaping CompiledBlock, _ orElse: @escaping CompiledBlock,
    at: SourcePosition
  ) -> CompiledBlock {
    let (items, store) = (iteration(iterable), self.store(target))
    return { interpreter, scope throws(RuntimeError) in
      try Compiler.run(interpreter, at: at) { () throws(RuntimeError) in
        var exit: Interpreter.Flow?
        try items(interpreter, scope) { value throws(RuntimeError) in
          try interpreter.step(at: at)
          try store(interpreter, scope, value)
          switch try body(interpreter, scope) {
          case .broke: exit = .normal
          case let .returned(value): exit = .returned(value)
          case .normal, .continued: return true
          }
          return false
        }
        if let exit { return exit }
        return try orElse(interpreter, scope)
      }
    }
  }
}
