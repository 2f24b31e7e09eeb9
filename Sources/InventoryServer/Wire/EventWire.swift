import InventoryCore

/// An event as the API shows it, on the stream and in pages: its cursor, type, store, time and the
/// resource it carries. Written as text, since the resource is already JSON.
public enum EventWire {
    public static func json(_ event: Event) -> String {
        let store = event.storeID.map(String.init) ?? "null"
        return #"{"id":""# + event.position.description + #"","type":""# + event.type.rawValue
            + #"","store_id":"# + store + #","recorded_at":""# + WireCoding.formatTime(event.recordedAt)
            + #"","data":"# + event.payload + "}"
    }

    /// `types=movement.recorded,stock.changed`: each a known type.
    public static func types(_ text: String?) throws -> Set<EventType> {
        guard let text else { return [] }
        var types: Set<EventType> = []
        for name in text.split(separator: ",", omittingEmptySubsequences: true) {
            guard let type = EventType(rawValue: String(name)) else {
                throw RequestError.malformed("types: \(name.prefix(64)) is not an event type")
            }
            types.insert(type)
        }
        return types
    }
}
