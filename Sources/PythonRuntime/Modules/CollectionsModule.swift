extension StandardLibrary {
  /// `collections`: `namedtuple`, `OrderedDict`, `defaultdict`, `Counter` and `deque`, as
  /// classes (subclassable, usable with `isinstance`) implemented in Swift.
  static let collectionsModule = ModuleDefinition(
    "collections",
    publicNames: "ChainMap Counter OrderedDict UserDict UserList UserString abc defaultdict deque namedtuple",
    submodules: "abc"
  ) { interpreter in
    [
      "namedtuple": Native.function("namedtuple") { arguments, context throws(RuntimeError) in
        try NamedTupleClass.factory(arguments, context)
      },
      "OrderedDict": DictClasses.make(.ordered, interpreter).value,
      "defaultdict": DictClasses.make(.defaulting, interpreter).value,
      "Counter": DictClasses.make(.counter, interpreter).value,
      "deque": DequeClass.make(interpreter).value,
    ]
  }
}
