import Testing

@Suite struct SpecPlaceholder {}
