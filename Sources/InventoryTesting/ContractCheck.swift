import Testing

/// One named check of a contract; a backend's suite runs each on a fresh database, as one
/// argument of a parameterized test named after it.
public protocol ContractCheck: RawRepresentable<String>, CaseIterable, Sendable, CustomTestStringConvertible {}

extension ContractCheck {
    public var testDescription: String { rawValue }
}
