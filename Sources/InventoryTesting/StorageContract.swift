import Foundation
import InventoryCore
import Testing

/// The behaviour every storage backend must show, run by each backend's tests against a real,
/// empty database: `@Test(arguments: StorageContract.Check.allCases)`.
public struct StorageContract: Sendable {
    /// One named check; each runs on a fresh database.
    public enum Check: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case recordsEveryKind
        case refusesToOversell
        case concurrentSalesSellExactlyTheStock
        case concurrentWritersKeepEveryChainInOrder
        case replaysAnIdempotentRequestOnce
        case appliesABatchAllOrNothing
        case requiresWholeQuantitiesForPiecesAndPacks
        case capsOnHand
        case refusesUnknownReferences
        case enforcesCatalogRules
        case softDeletesProducts
        case paginatesAndFiltersListings
        case listsStockWithReorderLevels
        case verifiesAnIntactLedger
        case managesCitiesAndStores
        case managesSuppliersAndTheirProducts
        case showsAProductAcrossStores
        case transfersStockBetweenStores
        case crossingTransfersRunConcurrently
        case reportsMatchHandComputedFigures
        case seedsAConsistentChain

        public var testDescription: String { rawValue }
    }

    let storage: any InventoryStorage

    public init(storage: any InventoryStorage) {
        self.storage = storage
    }

    public func run(_ check: Check) async throws {
        switch check {
        case .recordsEveryKind: try await recordsEveryKind()
        case .refusesToOversell: try await refusesToOversell()
        case .concurrentSalesSellExactlyTheStock: try await concurrentSalesSellExactlyTheStock()
        case .concurrentWritersKeepEveryChainInOrder: try await concurrentWritersKeepEveryChainInOrder()
        case .replaysAnIdempotentRequestOnce: try await replaysAnIdempotentRequestOnce()
        case .appliesABatchAllOrNothing: try await appliesABatchAllOrNothing()
        case .requiresWholeQuantitiesForPiecesAndPacks: try await requiresWholeQuantitiesForPiecesAndPacks()
        case .capsOnHand: try await capsOnHand()
        case .refusesUnknownReferences: try await refusesUnknownReferences()
        case .enforcesCatalogRules: try await enforcesCatalogRules()
        case .softDeletesProducts: try await softDeletesProducts()
        case .paginatesAndFiltersListings: try await paginatesAndFiltersListings()
        case .listsStockWithReorderLevels: try await listsStockWithReorderLevels()
        case .verifiesAnIntactLedger: try await verifiesAnIntactLedger()
        case .managesCitiesAndStores: try await managesCitiesAndStores()
        case .managesSuppliersAndTheirProducts: try await managesSuppliersAndTheirProducts()
        case .showsAProductAcrossStores: try await showsAProductAcrossStores()
        case .transfersStockBetweenStores: try await transfersStockBetweenStores()
        case .crossingTransfersRunConcurrently: try await crossingTransfersRunConcurrently()
        case .reportsMatchHandComputedFigures: try await reportsMatchHandComputedFigures()
        case .seedsAConsistentChain: try await seedsAConsistentChain()
        }
    }

    /// Expects `work` to throw exactly `expected`.
    func expectError(_ expected: InventoryError, _ work: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async {
        do {
            try await work()
            Issue.record("expected \(expected), but nothing was thrown", sourceLocation: sourceLocation)
        } catch let error as InventoryError {
            #expect(error == expected, sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected \(expected), got \(error)", sourceLocation: sourceLocation)
        }
    }
}
