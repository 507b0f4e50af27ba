extension DataForm {
    /// Parses `<x xmlns='jabber:x:data' type='…'>` (XEP-0004 §3.1–§3.4).
    ///
    /// Checks what XEP-0004 makes mandatory: a known form type and field types, a `var` on every field other than
    /// `fixed`, `var` unique within the form (and within each item), at most one value in a field whose declared type
    /// is single-valued, and a value in every option. Unknown child elements are ignored, as extensions may add them
    /// (XEP-0004 §3.1, XEP-0122). A missing field `type` stays `nil`; the default `text-single` applies only for
    /// rendering (XEP-0004 §3.2).
    public init(_ element: XMLElement) throws(DataFormError) {
        guard element.name == "x", element.namespace == Namespace.dataForms else {
            throw DataFormError(.notADataForm, reason: "expected <x xmlns='\(Namespace.dataForms)'/>")
        }
        guard let typeText = element[attribute: "type"], let type = FormType(rawValue: typeText) else {
            let shown = element[attribute: "type"] ?? "(none)"
            throw DataFormError(.invalidFormType, reason: "form type must be form, submit, cancel or result: \(shown)")
        }
        self.init(type: type)
        self.title = element.child(named: "title", namespace: Namespace.dataForms)?.text
        self.instructions = element.children(named: "instructions", namespace: Namespace.dataForms).map(\.text)
        self.fields = try Self.parseFields(element)
        if let reported = element.child(named: "reported", namespace: Namespace.dataForms) {
            self.reported = try Self.parseFields(reported)
        }
        for item in element.children(named: "item", namespace: Namespace.dataForms) {
            self.items.append(try Self.parseFields(item))
        }
    }

    /// The `<x xmlns='jabber:x:data'/>` element: title, instructions, fields, reported, items, in that order
    /// (XEP-0004 §3.1, §3.4).
    public func makeElement() -> XMLElement {
        var element = XMLElement(name: "x", namespace: Namespace.dataForms, attributes: ["type": self.type.rawValue])
        if let title = self.title {
            element.append(Self.textElement("title", title))
        }
        for instruction in self.instructions {
            element.append(Self.textElement("instructions", instruction))
        }
        for field in self.fields {
            element.append(field.makeElement())
        }
        if let reported = self.reported {
            element.append(
                XMLElement(
                    name: "reported", namespace: Namespace.dataForms,
                    children: reported.map { .element($0.makeElement()) }))
        }
        for item in self.items {
            element.append(
                XMLElement(
                    name: "item", namespace: Namespace.dataForms, children: item.map { .element($0.makeElement()) }))
        }
        return element
    }

    /// Reads the `<field/>` children of a form, `<reported/>` or `<item/>` (XEP-0004 §3.2, §3.4).
    private static func parseFields(_ parent: XMLElement) throws(DataFormError) -> [Field] {
        var fields: [Field] = []
        var seen: Set<String> = []
        for child in parent.children(named: "field", namespace: Namespace.dataForms) {
            let field = try Field(child)
            if let variable = field.variable {
                guard seen.insert(variable).inserted else {
                    throw DataFormError(.duplicateVariable, reason: "field '\(variable)' appears more than once")
                }
            }
            fields.append(field)
        }
        return fields
    }

    fileprivate static func textElement(_ name: String, _ text: String) -> XMLElement {
        XMLElement(name: name, namespace: Namespace.dataForms, children: text.isEmpty ? [] : [.text(text)])
    }
}

extension DataForm.Field {
    /// Parses one `<field/>` (XEP-0004 §3.2, §3.3).
    public init(_ element: XMLElement) throws(DataFormError) {
        var type: FieldType?
        if let typeText = element[attribute: "type"] {
            guard let known = FieldType(rawValue: typeText) else {
                throw DataFormError(.invalidFieldType, reason: "unknown field type '\(typeText)'")
            }
            type = known
        }
        let variable = element[attribute: "var"]
        guard variable != nil || type == .fixed else {
            throw DataFormError(.missingVariable, reason: "a field other than 'fixed' needs a var")
        }
        let values = element.children(named: "value", namespace: Namespace.dataForms).map(\.text)
        if let type, !type.isMultiValued, values.count > 1 {
            let name = variable ?? "(fixed)"
            throw DataFormError(.tooManyValues, reason: "\(type.rawValue) field '\(name)' has \(values.count) values")
        }
        var options: [Option] = []
        for option in element.children(named: "option", namespace: Namespace.dataForms) {
            guard let value = option.child(named: "value", namespace: Namespace.dataForms) else {
                throw DataFormError(.invalidOption, reason: "an option of field '\(variable ?? "")' has no value")
            }
            options.append(Option(label: option[attribute: "label"], value: value.text))
        }
        self.init(
            variable: variable, type: type, label: element[attribute: "label"],
            desc: element.child(named: "desc", namespace: Namespace.dataForms)?.text,
            isRequired: element.child(named: "required", namespace: Namespace.dataForms) != nil,
            values: values, options: options)
    }

    /// The `<field/>` element: `desc`, `required`, values, then options (XEP-0004 §3.2).
    public func makeElement() -> XMLElement {
        var element = XMLElement(name: "field", namespace: Namespace.dataForms)
        element[attribute: "var"] = self.variable
        element[attribute: "type"] = self.type?.rawValue
        element[attribute: "label"] = self.label
        if let desc = self.desc {
            element.append(DataForm.textElement("desc", desc))
        }
        if self.isRequired {
            element.append(XMLElement(name: "required", namespace: Namespace.dataForms))
        }
        for value in self.values {
            element.append(DataForm.textElement("value", value))
        }
        for option in self.options {
            var optionElement = XMLElement(name: "option", namespace: Namespace.dataForms)
            optionElement[attribute: "label"] = option.label
            optionElement.append(DataForm.textElement("value", option.value))
            element.append(optionElement)
        }
        return element
    }
}
