import Foundation
import Hummingbird
import InventoryCore

/// The request context of every Godown route: the body limit and the API's JSON encoder.
public struct GodownRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    public var maxUploadSize: Int { Limits.requestBodyBytesMax }
    public var responseEncoder: JSONEncoder { WireCoding.makeEncoder() }
}
