import InventoryCore

/// What each call of a workload picks at random, the same way for godown and its ceilings.
struct Draw: Sendable {
    /// Store ids 1…stores and product ids 1…products, as seeded.
    let stores: Int
    let products: Int

    func storeAndProduct(_ random: inout SeedRandom) -> (store: Int64, product: Int64) {
        (Int64.random(in: 1...Int64(stores), using: &random), Int64.random(in: 1...Int64(products), using: &random))
    }

    /// Half stock-ins, half sales of one unit: sales of stock that ran out are refused (409), as in a shop.
    func movement(_ random: inout SeedRandom) -> (store: Int64, product: Int64, kind: String, delta: Int64) {
        let (store, product) = storeAndProduct(&random)
        return Bool.random(using: &random) ? (store, product, "stock_in", 1000) : (store, product, "sale", -1000)
    }

    /// A point-of-sale upload: 25 products each received (2) and sold (1), so the batch always applies.
    func batch(_ random: inout SeedRandom) -> (store: Int64, lines: [(product: Int64, kind: String, delta: Int64)]) {
        let store = Int64.random(in: 1...Int64(stores), using: &random)
        var lines: [(product: Int64, kind: String, delta: Int64)] = []
        for _ in 0..<Self.batchSize / 2 {
            let product = Int64.random(in: 1...Int64(products), using: &random)
            lines.append((product, "stock_in", 2000))
            lines.append((product, "sale", -1000))
        }
        return (store, lines)
    }

    static let batchSize = 50

    static func batchBody(_ lines: [(product: Int64, kind: String, delta: Int64)]) -> String {
        let movements = lines.map { line in
            #"{"product_id":\#(line.product),"kind":"\#(line.kind)","quantity":"\#(abs(line.delta) / 1000)"}"#
        }
        return #"{"movements":[\#(movements.joined(separator: ","))]}"#
    }
}
