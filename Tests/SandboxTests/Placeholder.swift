import Testing

@Suite struct SandboxPlaceholder {}
