import Foundation
import InventoryCore
import JWTKit

/// The claims of a signed access token: who, in which role, at which stores, until when.
struct AccessToken: JWTPayload {
    var subject: SubjectClaim
    var expiration: ExpirationClaim
    var issuedAt: IssuedAtClaim
    var tokenID: IDClaim
    var username: String
    var role: Role
    var stores: [Int64]
    /// The user's version when the token was issued; any change to the user ends the token.
    var version: Int64

    enum CodingKeys: String, CodingKey {
        case subject = "sub"
        case expiration = "exp"
        case issuedAt = "iat"
        case tokenID = "jti"
        case username = "name"
        case role
        case stores
        case version = "ver"
    }

    init(user: User, lifetime: Duration, now: Date) {
        subject = SubjectClaim(value: String(user.id))
        expiration = ExpirationClaim(value: now.addingTimeInterval(TimeInterval(lifetime.components.seconds)))
        issuedAt = IssuedAtClaim(value: now)
        tokenID = IDClaim(value: UUID().uuidString)
        username = user.username
        role = user.role
        stores = user.storeIDs
        version = UserVersions.version(of: user)
    }

    /// Checks nothing beyond the signature: `Authenticator` checks the expiry against its own time
    /// source, which a test can set.
    func verify(using algorithm: some JWTAlgorithm) async throws {}

    var principal: Principal? {
        guard let id = Int64(subject.value) else { return nil }
        return Principal(identity: Identity(kind: .user, id: id, name: username), role: role, storeIDs: Set(stores))
    }
}
