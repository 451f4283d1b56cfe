import PythonSyntax
import Testing

@testable import PythonRuntime

/// Values a program no longer reaches are freed: reference counting alone would leak the
/// cycles a function makes with the scope it was defined in.
@Suite struct LifetimeTests {
  /// Whether the list `source` leaves in its global `probe` is freed with the interpreter.
  /// `check` sees the interpreter first, and a weak reference to each list the program put
  /// in the global `watch` (each is expected freed while the interpreter still lives).
  private func probeFreed(_ source: String, check: ([PyList?]) -> Void = { _ in }) throws -> Bool {
    weak var probe: PyList?
    do {
      let interpreter = try run(source)
      if case let .list(value)? = interpreter.global("probe") { probe = value }
      #expect(probe != nil)
      var watched: [() -> PyList?] = []
      if case let .list(watch)? = interpreter.global("watch") {
        for case let .list(item) in watch.items {
          weak var reference = item
          watched.append { reference }
        }
        watch.items = []
      }
      check(watched.map { $0() })
    }
    return probe == nil
  }

  @Test func moduleFunctionsAndClassesDoNotKeepTheModuleAlive() throws {
    #expect(
      try probeFreed("probe = [1, 2]\ndef f():\n    return probe\nclass C:\n    def m(self):\n        return f()\n"))
  }

  @Test func aLocalClosureIsFreedWithItsCall() throws {
    // Each call's `big` is reached only through `inner` and `helper`, which only the call's
    // scope holds: the cycle they make with it is collected when the call returns.
    let source = """
      watch = []
      def step(i):
          big = [i] * 1000
          watch.append(big)
          def inner():
              return big[0] + i
          helper = lambda: inner()
          return helper()
      total = 0
      for i in range(3):
          total += step(i)
      probe = [total]
      """
    var freedEachCall = false
    let freed = try probeFreed(source) { watched in
      freedEachCall = watched.count == 3 && watched.allSatisfy { $0 == nil }
    }
    #expect(freedEachCall)
    #expect(freed)
  }

  @Test func aClosureThatEscapesKeepsItsScope() throws {
    let source = """
      def counter():
          count = 0
          def bump():
              nonlocal count
              count += 1
              return count
          def twice():
              bump()
              return bump()
          return twice
      c = counter()
      c()
      print(c())
      keep = []
      def make():
          data = [7]
          def get():
              return data[0]
          keep.append(get)
          def unused():
              return get()
          return 1
      make()
      print(keep[0]())
      """
    #expect(try run(source).output == "4\n7\n")
  }
}
