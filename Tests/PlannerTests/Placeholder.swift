import Testing

@Suite struct PlannerPlaceholder {}
