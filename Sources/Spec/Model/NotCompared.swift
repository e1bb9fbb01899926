/// Carries a value (a source position, typically) without letting it take part in `==` or hashing, so two
/// models that mean the same are equal wherever they were written.
@propertyWrapper
public struct NotCompared<Value: Sendable>: Sendable, Hashable {
    public var wrappedValue: Value

    public init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
    }

    public static func == (lhs: NotCompared, rhs: NotCompared) -> Bool { true }
    public func hash(into hasher: inout Hasher) {}
}
