/// Reads users and API keys, and what checking credentials needs.
public protocol AccessReader: Sendable {
    func user(id: Int64) async throws -> User
    func listUsers(_ page: PageRequest) async throws -> Page<User>
    /// The user (active or not) with this username and their password hash, to check a password against.
    func credential(username: String) async throws -> StoredCredential?
    func listAPIKeys(_ page: PageRequest) async throws -> Page<APIKey>
    /// The live (not revoked) key whose secret hashes to `secretHash`.
    func apiKey(secretHash: String) async throws -> APIKey?
}
