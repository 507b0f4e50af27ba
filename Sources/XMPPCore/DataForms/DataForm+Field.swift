extension DataForm {
    /// One `<field/>` of a form, a reported column or an item (XEP-0004 §3.2).
    public struct Field: Sendable, Hashable {
        /// The field types and their value cardinality (XEP-0004 §3.3).
        public enum FieldType: String, Sendable, Hashable, CaseIterable {
            case boolean
            case fixed
            case hidden
            case jidMulti = "jid-multi"
            case jidSingle = "jid-single"
            case listMulti = "list-multi"
            case listSingle = "list-single"
            case textMulti = "text-multi"
            case textPrivate = "text-private"
            case textSingle = "text-single"

            /// Whether the type allows more than one `<value/>` (XEP-0004 §3.3: the `-multi` types, and `fixed`,
            /// whose values are lines of text).
            public var isMultiValued: Bool {
                switch self {
                case .jidMulti, .listMulti, .textMulti, .fixed: true
                default: false
                }
            }
        }

        /// One `<option/>` of a list field (XEP-0004 §3.2).
        public struct Option: Sendable, Hashable {
            /// The human-readable label (XEP-0004 §3.2).
            public var label: String?
            /// The value submitted when this option is chosen (XEP-0004 §3.2).
            public var value: String

            /// Creates an option (XEP-0004 §3.2).
            public init(label: String? = nil, value: String) {
                self.label = label
                self.value = value
            }
        }

        /// The `var` attribute; only `fixed` fields may omit it (XEP-0004 §3.2).
        public var variable: String?
        /// The `type` attribute; `nil` when omitted, which submitted and result forms may do (XEP-0004 §3.2).
        public var type: FieldType?
        /// The `label` attribute (XEP-0004 §3.2).
        public var label: String?
        /// The `<desc/>` child, a natural-language description (XEP-0004 §3.2).
        public var desc: String?
        /// Whether the `<required/>` flag is present (XEP-0004 §3.2).
        public var isRequired: Bool
        /// The `<value/>` children in order (XEP-0004 §3.2).
        public var values: [String]
        /// The `<option/>` children of a list field (XEP-0004 §3.2).
        public var options: [Option]

        /// Creates a field (XEP-0004 §3.2).
        public init(
            variable: String?, type: FieldType? = nil, label: String? = nil, desc: String? = nil,
            isRequired: Bool = false, values: [String] = [], options: [Option] = []
        ) {
            self.variable = variable
            self.type = type
            self.label = label
            self.desc = desc
            self.isRequired = isRequired
            self.values = values
            self.options = options
        }
    }
}
