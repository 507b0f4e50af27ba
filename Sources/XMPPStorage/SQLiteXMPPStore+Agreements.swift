import Foundation
import GRDB
import XMPPCore
import XMPPServer

/// Recorded negotiation agreements (docs/negotiation.md), in the `agreement` table of migration `v2-agreements`:
/// the signed agreement's XML form, indexed by both parties' bare JIDs.
extension SQLiteXMPPStore: AgreementStore {
    /// Stores an agreement; the same id again is ignored (agreement ids derive from their content).
    public func save(_ agreement: SignedAgreement) async throws {
        let xml = agreement.makeElement().serialized(parentNamespace: nil)
        try await self.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO agreement (id, requester, responder, agreedAt, xml) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    agreement.agreement.id, agreement.agreement.requester.bare.description,
                    agreement.agreement.responder.bare.description,
                    agreement.agreement.agreedAt.timeIntervalSinceReferenceDate, xml,
                ])
        }
    }

    /// The agreements of `party` (bare JID), or all, oldest first.
    public func agreements(involving party: JID?) async throws -> [SignedAgreement] {
        let texts: [String] = try await self.read { db in
            if let party = party?.bare.description {
                return try String.fetchAll(
                    db, sql: "SELECT xml FROM agreement WHERE requester = ? OR responder = ? ORDER BY agreedAt, id",
                    arguments: [party, party])
            }
            return try String.fetchAll(db, sql: "SELECT xml FROM agreement ORDER BY agreedAt, id")
        }
        return try texts.map { text in
            guard let element = try XMLStreamParser.fragments(text).first else {
                throw XMPPStoreError.storageFailure(reason: "a stored agreement does not parse")
            }
            return try SignedAgreement(element)
        }
    }
}
