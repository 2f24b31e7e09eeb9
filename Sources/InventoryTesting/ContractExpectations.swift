import InventoryCore
import Testing

/// Expects `work` to throw exactly `expected`.
func expectError(
    _ expected: InventoryError, _ work: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
) async {
    do {
        try await work()
        Issue.record("expected \(expected), but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as InventoryError {
        #expect(error == expected, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(expected), got \(error)", sourceLocation: sourceLocation)
    }
}
