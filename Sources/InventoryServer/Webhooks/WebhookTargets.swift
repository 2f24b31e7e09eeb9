import Foundation
import InventoryCore
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// Which hosts a webhook may be sent to. Loopback, private, link-local, shared (CGNAT),
/// multicast and unspecified addresses are refused unless allowed (`--allow-private-webhooks`):
/// otherwise anyone who can make a webhook could make the server call services behind its firewall.
/// A URL is checked when it is saved (names such as `localhost` and literal addresses) and again
/// before every attempt, after resolving its name.
public struct WebhookTargets: Sendable {
    public var allowPrivate: Bool

    public init(allowPrivate: Bool) {
        self.allowPrivate = allowPrivate
    }

    /// Checks what can be checked without the network; `invalidField("url")` when refused.
    func checkSaved(_ url: String) throws(InventoryError) {
        guard !allowPrivate, let host = Self.host(url) else { return }
        if let reason = Self.refusal(host: host) { throw .invalidField(name: "url", reason: reason) }
    }

    /// Resolves the URL's host and answers why it is refused, or nil when every address it has is public.
    func refusalBeforeSending(_ url: String) async -> String? {
        guard !allowPrivate, let host = Self.host(url) else { return nil }
        if let reason = Self.refusal(host: host) { return reason }
        if (try? SocketAddress(ipAddress: host, port: 0)) != nil { return nil }
        let addresses: [SocketAddress]
        do {
            addresses = try await NIOThreadPool.singleton.runIfActive { try Self.resolve(host) }
        } catch {
            return "could not resolve \(host)"
        }
        for address in addresses where Self.isPrivate(address) {
            return "\(host) resolves to a private address (\(address.ipAddress ?? "?"))"
        }
        return nil
    }

    static func host(_ url: String) -> String? {
        guard var host = URLComponents(string: url)?.host?.lowercased() else { return nil }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host
    }

    static func refusal(host: String) -> String? {
        let name = host.hasSuffix(".") ? String(host.dropLast()) : host
        if name == "localhost" || name.hasSuffix(".localhost") {
            return "must not point at this machine (allow with --allow-private-webhooks)"
        }
        if let address = try? SocketAddress(ipAddress: name, port: 0), isPrivate(address) {
            return "must not point at a private or loopback address (allow with --allow-private-webhooks)"
        }
        return nil
    }

    /// True for addresses that are not on the public internet.
    static func isPrivate(_ address: SocketAddress) -> Bool {
        switch address {
        case .v4(let v4):
            return isPrivate(v4: withUnsafeBytes(of: v4.address.sin_addr) { Array($0) })
        case .v6(let v6):
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
                return isPrivate(v4: Array(bytes[12..<16]))
            }
            if bytes[0..<15].allSatisfy({ $0 == 0 }) { return true }  // :: and ::1
            if bytes[0] & 0xfe == 0xfc { return true }  // fc00::/7 unique local
            if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80 { return true }  // fe80::/10 link-local
            if bytes[0] == 0xff { return true }  // multicast
            return false
        case .unixDomainSocket:
            return true
        }
    }

    static func isPrivate(v4 bytes: [UInt8]) -> Bool {
        let (a, b) = (bytes[0], bytes[1])
        return a == 0 || a == 10 || a == 127 || (a == 169 && b == 254) || (a == 172 && b & 0xf0 == 16)
            || (a == 192 && b == 168) || (a == 100 && b & 0xc0 == 64) || a >= 224
    }

    /// Every address `host` resolves to (blocking: run on a thread pool).
    static func resolve(_ host: String) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else {
            throw InventoryError.invalidField(name: "url", reason: "could not resolve \(host)")
        }
        defer { freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let info = next {
            if let address = info.pointee.ai_addr {
                switch Int32(info.pointee.ai_family) {
                case AF_INET:
                    address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                        addresses.append(SocketAddress($0.pointee, host: host))
                    }
                case AF_INET6:
                    address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                        addresses.append(SocketAddress($0.pointee, host: host))
                    }
                default: break
                }
            }
            next = info.pointee.ai_next
        }
        return addresses
    }
}
