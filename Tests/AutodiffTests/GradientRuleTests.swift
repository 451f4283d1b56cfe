import Testing
@testable import Autodiff

@Suite struct GradientRuleTests {
  @Test("an op without a registered rule has none, so callers report it unsupported")
  func missingRule() {
    #expect(GradientRules.rule(for: "NoSuchOp") == nil)
  }
}
