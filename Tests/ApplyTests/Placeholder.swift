import Testing

@Suite struct ApplyPlaceholder {}
