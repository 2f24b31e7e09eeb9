import Logging
import NIOConcurrencyHelpers
import NIOCore

/// Keeps the number of open client connections within `ConnectionLimits.connectionsMax` while
/// still serving: at the limit a new connection takes the place of the one idle longest, so a flood
/// of idle or half-sent connections cannot lock out a real client, and it is refused only when every
/// open connection is busy with a request.
final class ConnectionGovernor: Sendable {
    private struct Tracked {
        var channel: any Channel
        /// Nil while a request is being answered; otherwise when the connection last became idle.
        var idleSince: NIODeadline?
    }

    private let connectionsMax: Int
    private let logger: Logger
    private let connections = NIOLockedValueBox<[ObjectIdentifier: Tracked]>([:])

    init(connectionsMax: Int, logger: Logger) {
        self.connectionsMax = connectionsMax
        self.logger = logger
    }

    var openConnections: Int { connections.withLockedValue { $0.count } }

    /// Registers a new connection; false when every open connection is busy and this one must close.
    func admit(_ channel: any Channel) -> Bool {
        let (admitted, evicted) = connections.withLockedValue { connections -> (Bool, (any Channel)?) in
            var evicted: (any Channel)?
            if connections.count >= connectionsMax {
                guard
                    let idlest = connections.filter({ $0.value.idleSince != nil })
                        .min(by: { $0.value.idleSince! < $1.value.idleSince! })
                else { return (false, nil) }
                connections[idlest.key] = nil
                evicted = idlest.value.channel
            }
            connections[ObjectIdentifier(channel)] = Tracked(channel: channel, idleSince: .now())
            return (true, evicted)
        }
        if let evicted {
            logger.notice(
                "closing the longest-idle connection to admit a new one",
                metadata: ["connections_max": "\(connectionsMax)"])
            evicted.close(promise: nil)
        }
        if !admitted {
            logger.warning(
                "refused a connection: every one of the allowed connections is busy",
                metadata: ["connections_max": "\(connectionsMax)"])
        }
        return admitted
    }

    func requestStarted(on channel: any Channel) {
        connections.withLockedValue { $0[ObjectIdentifier(channel)]?.idleSince = nil }
    }

    func requestEnded(on channel: any Channel) {
        connections.withLockedValue { $0[ObjectIdentifier(channel)]?.idleSince = .now() }
    }

    func closed(_ channel: any Channel) {
        _ = connections.withLockedValue { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }
}
