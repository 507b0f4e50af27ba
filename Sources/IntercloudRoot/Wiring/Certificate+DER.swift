import SwiftASN1
import X509

extension Certificate {
    /// The DER encoding (swift-certificates keeps `DER.Serializer.serialized(element:)` internal).
    func derBytes() throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(self)
        return serializer.serializedBytes
    }
}
