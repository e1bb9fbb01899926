/// A resolved credential. Printing, interpolating, dumping or reflecting it shows `<redacted>`; the value is read
/// only by `exposedValue()`, at the one place that builds an auth header.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    public init(_ value: String) {
        self.value = value
    }

    /// The credential itself, for building an auth header — nothing else.
    public func exposedValue() -> String { value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "Secret(<redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
