@preconcurrency import CLDAP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An entry returned by a search: its DN and attribute values as raw octets (RFC 4511 §4.5.2).
struct LDAPEntry: Sendable, Hashable {
    /// The entry's distinguished name (RFC 4514).
    var dn: String
    /// Values by attribute description, keyed in lower case because descriptions are case-insensitive
    /// (RFC 4512 §2.5).
    var attributes: [String: [[UInt8]]]

    /// The values of `attribute`, decoded as UTF-8 strings (RFC 4517 §3.3.6 Directory String).
    func strings(_ attribute: String) -> [String] {
        (self.attributes[attribute.lowercased()] ?? []).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The first value of `attribute` as a string, if present.
    func string(_ attribute: String) -> String? { self.strings(attribute).first }
}

/// One change of a modify request, or one attribute of an add request (RFC 4511 §4.6, §4.7).
struct LDAPModification: Sendable, Hashable {
    /// What to do with ``values``.
    enum Operation: Sendable, Hashable {
        /// Add the values (and, in an add request, the attribute itself).
        case add
        /// Replace all values; no values deletes the attribute, absent or not (RFC 4511 §4.6).
        case replace
    }

    /// The operation.
    var operation: Operation
    /// The attribute description, e.g. `icEndpoint` or `userCertificate;binary`.
    var attribute: String
    /// The values, as octets.
    var values: [[UInt8]]

    /// A change whose values are UTF-8 strings.
    init(_ operation: Operation, _ attribute: String, _ values: [String]) {
        self.operation = operation
        self.attribute = attribute
        self.values = values.map { Array($0.utf8) }
    }

    /// A change whose values are octets, e.g. DER for `userCertificate;binary` (RFC 4522 §2).
    init(_ operation: Operation, _ attribute: String, octets values: [[UInt8]]) {
        self.operation = operation
        self.attribute = attribute
        self.values = values
    }
}

/// Search scopes (RFC 4511 §4.5.1.2).
enum LDAPScope: Sendable {
    /// Only the base entry.
    case base
    /// The base entry's immediate subordinates.
    case oneLevel

    var cValue: ber_int_t {
        switch self {
        case .base: LDAP_SCOPE_BASE
        case .oneLevel: LDAP_SCOPE_ONELEVEL
        }
    }
}

extension LDAPConnection {
    /// A synchronous search (RFC 4511 §4.5); `filter` is in RFC 4515 string form and must already be escaped.
    func search(
        base: String, scope: LDAPScope, filter: String, attributes: [String]
    ) throws(LDAPOperationError) -> [LDAPEntry] {
        var names: [UnsafeMutablePointer<CChar>?] = attributes.map { strdup($0) } + [nil]
        defer { for name in names { free(name) } }
        var timeout = Self.timeval(self.configuration.timeout)
        var result: OpaquePointer?
        let status = names.withUnsafeMutableBufferPointer { buffer in
            ldap_search_ext_s(
                self.handle, base, scope.cValue, filter, buffer.baseAddress, 0, nil, nil, &timeout, 0, &result)
        }
        defer { if let result { ldap_msgfree(result) } }
        try self.check(status, "search (\(filter))", dn: base)
        var entries: [LDAPEntry] = []
        var message = ldap_first_entry(self.handle, result)
        while let current = message {
            entries.append(self.decode(current))
            message = ldap_next_entry(self.handle, current)
        }
        return entries
    }

    /// A synchronous add (RFC 4511 §4.7); every modification must be ``LDAPModification/Operation/add``.
    func add(dn: String, attributes: [LDAPModification]) throws(LDAPOperationError) {
        let status = Self.withModifications(attributes) { ldap_add_ext_s(self.handle, dn, $0, nil, nil) }
        try self.check(status, "add", dn: dn)
    }

    /// A synchronous modify (RFC 4511 §4.6); all changes apply atomically or none does.
    func modify(dn: String, changes: [LDAPModification]) throws(LDAPOperationError) {
        let status = Self.withModifications(changes) { ldap_modify_ext_s(self.handle, dn, $0, nil, nil) }
        try self.check(status, "modify", dn: dn)
    }

    /// A synchronous delete of a leaf entry (RFC 4511 §4.8).
    func delete(dn: String) throws(LDAPOperationError) {
        try self.check(ldap_delete_ext_s(self.handle, dn, nil, nil), "delete", dn: dn)
    }

    /// Copies one search result entry out of libldap's message (RFC 4511 §4.5.2).
    private func decode(_ message: OpaquePointer) -> LDAPEntry {
        var dn = ""
        if let raw = ldap_get_dn(self.handle, message) {
            dn = String(cString: raw)
            ldap_memfree(raw)
        }
        var attributes: [String: [[UInt8]]] = [:]
        var element: OpaquePointer?
        var name = ldap_first_attribute(self.handle, message, &element)
        while let current = name {
            var values: [[UInt8]] = []
            if let list = ldap_get_values_len(self.handle, message, current) {
                var index = 0
                while let value = list[index] {
                    let bytes = UnsafeRawBufferPointer(start: value.pointee.bv_val, count: Int(value.pointee.bv_len))
                    values.append(Array(bytes))
                    index += 1
                }
                ldap_value_free_len(list)
            }
            attributes[String(cString: current).lowercased(), default: []] += values
            ldap_memfree(current)
            name = ldap_next_attribute(self.handle, message, element)
        }
        if let element { ber_free(element, 0) }
        return LDAPEntry(dn: dn, attributes: attributes)
    }

    /// Builds the NULL-terminated `LDAPMod *[]` that add and modify take (binary values, `LDAP_MOD_BVALUES`),
    /// calls `body` with it and frees every allocation afterwards.
    private static func withModifications(
        _ modifications: [LDAPModification], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<LDAPMod>?>) -> Int32
    ) -> Int32 {
        var allocations: [UnsafeMutableRawPointer] = []
        defer { for allocation in allocations { free(allocation) } }
        func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
            let raw = malloc(max(1, count) * MemoryLayout<T>.stride)!
            allocations.append(raw)
            return raw.bindMemory(to: T.self, capacity: max(1, count))
        }
        let list = allocate(UnsafeMutablePointer<LDAPMod>?.self, count: modifications.count + 1)
        for (position, modification) in modifications.enumerated() {
            let values = allocate(UnsafeMutablePointer<berval>?.self, count: modification.values.count + 1)
            for (index, value) in modification.values.enumerated() {
                let bytes = allocate(CChar.self, count: value.count)
                value.withUnsafeBytes { source in
                    if let base = source.baseAddress, !source.isEmpty {
                        UnsafeMutableRawPointer(bytes).copyMemory(from: base, byteCount: source.count)
                    }
                }
                let berValue = allocate(berval.self, count: 1)
                berValue.initialize(to: berval(bv_len: ber_len_t(value.count), bv_val: bytes))
                values[index] = berValue
            }
            values[modification.values.count] = nil
            let type = strdup(modification.attribute)!
            allocations.append(UnsafeMutableRawPointer(type))
            let operation =
                switch modification.operation {
                case .add: LDAP_MOD_ADD
                case .replace: LDAP_MOD_REPLACE
                }
            let mod = allocate(LDAPMod.self, count: 1)
            mod.initialize(
                to: LDAPMod(
                    mod_op: operation | LDAP_MOD_BVALUES, mod_type: type, mod_vals: .init(modv_bvals: values)))
            list[position] = mod
        }
        list[modifications.count] = nil
        return body(list)
    }
}
