import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Calls one godown server over HTTP with keep-alive, as the user the benchmark logged in as.
struct HTTPCaller: Sendable {
    let http: HTTPClient
    let base: String
    /// `Bearer <access token>`.
    let authorization: String

    /// Logs in once; the server must issue access tokens that outlive the run (`--access-token-minutes`).
    static func logIn(_ http: HTTPClient, base: String, username: String, password: String) async throws -> HTTPCaller {
        struct Tokens: Decodable { var access_token: String }
        var request = HTTPClientRequest(url: base + "/v1/auth/login")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(
            ByteBuffer(bytes: try JSONEncoder().encode(["username": username, "password": password])))
        let response = try await http.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else {
            throw BenchFailure(reason: "logging in to \(base) as \(username) answered \(response.status.code)")
        }
        let token = try JSONDecoder().decode(Tokens.self, from: Data(buffer: bytes)).access_token
        return HTTPCaller(http: http, base: base, authorization: "Bearer " + token)
    }

    func get(_ path: String) async -> Outcome {
        await send(HTTPClientRequest(url: base + path))
    }

    func post(_ path: String, _ body: String) async -> Outcome {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        return await send(request)
    }

    /// 2xx is done, 409 (stock ran out) refused, anything else failed.
    private func send(_ request: HTTPClientRequest) async -> Outcome {
        var request = request
        request.headers.add(name: "Authorization", value: authorization)
        do {
            let response = try await http.execute(request, timeout: .seconds(30))
            _ = try await response.body.collect(upTo: 16 << 20)
            switch response.status.code {
            case 200..<300: return .done
            case 409: return .refused
            default: return .failed
            }
        } catch {
            return .failed
        }
    }

    /// One movement as the single-movement workloads send it.
    func recordMovement(storeID: Int64, productID: Int64, kind: String) async -> Outcome {
        await post(
            "/v1/stores/\(storeID)/movements", #"{"product_id":\#(productID),"kind":"\#(kind)","quantity":"1"}"#)
    }

    func readStockLevel(storeID: Int64, productID: Int64) async -> Outcome {
        await get("/v1/stores/\(storeID)/stock/\(productID)")
    }
}

/// The benchmark could not run as set up, or a check failed.
struct BenchFailure: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
