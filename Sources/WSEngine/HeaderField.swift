/// One HTTP header line, kept in the order the user gave it.
public struct HeaderField: Sendable, Equatable {
    /// The field name, as typed.
    public var name: String
    /// The field value, without surrounding white space.
    public var value: String

    /// Creates a field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
