import Testing

@testable import XMPPCore

/// The XEP-0004 data form model: parsing, serialization and typed accessors (XEP-0004 §3; XEP-0068 §3).
@Suite struct DataFormTests {
    /// Parses one element from its XML text.
    static func element(_ xml: String) throws -> XMLElement {
        var parser = XMLStreamParser()
        let events = try parser.feed(
            "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>" + xml)
        guard events.count == 2, case .element(let element) = events[1] else {
            throw DataFormError(.notADataForm, reason: "fixture did not parse to one element")
        }
        return element
    }

    static func error(_ xml: String) throws -> DataFormError? {
        do {
            _ = try DataForm(try Self.element(xml))
            return nil
        } catch let error as DataFormError {
            return error
        }
    }

    /// XEP-0004 §5.1, Example 2 (abridged): a configuration form with every field type.
    static let configurationForm = """
        <x xmlns='jabber:x:data' type='form'>
          <title>Bot Configuration</title>
          <instructions>Fill out this form to configure your new bot!</instructions>
          <field type='hidden' var='FORM_TYPE'><value>jabber:bot</value></field>
          <field type='fixed'><value>Section 1: Bot Info</value></field>
          <field type='text-single' label='The name of your bot' var='botname'/>
          <field type='text-multi' label='Helpful description of your bot' var='description'/>
          <field type='boolean' label='Public bot?' var='public'><required/></field>
          <field type='text-private' label='Password for special access' var='password'/>
          <field type='list-multi' label='What features will the bot support?' var='features'>
            <option label='Contests'><value>contests</value></option>
            <option label='News'><value>news</value></option>
            <value>news</value>
            <value>search</value>
          </field>
          <field type='list-single' label='Maximum number of subscribers' var='maxsubs'>
            <desc>How many?</desc>
            <value>20</value>
            <option label='10'><value>10</value></option>
            <option label='20'><value>20</value></option>
          </field>
          <field type='jid-multi' label='People to invite' var='invitelist'/>
          <field type='jid-single' label='Owner' var='owner'><value>juliet@capulet.lit</value></field>
        </x>
        """

    @Test func parsesTheXEP0004ConfigurationExample() throws {
        let form = try DataForm(try Self.element(Self.configurationForm))
        #expect(form.type == .form)
        #expect(form.title == "Bot Configuration")
        #expect(form.instructions == ["Fill out this form to configure your new bot!"])
        #expect(form.fields.count == 10)
        #expect(form.formType == "jabber:bot")
        #expect(form.fields[1].type == .fixed && form.fields[1].variable == nil)
        #expect(form.field("public")?.isRequired == true)
        #expect(form.field("features")?.options.map(\.value) == ["contests", "news"])
        #expect(form.field("features")?.options.first?.label == "Contests")
        #expect(form.values("features") == ["news", "search"])
        #expect(form.field("maxsubs")?.desc == "How many?")
        #expect(try form.integer("maxsubs") == 20)
        #expect(try form.jid("owner") == JID("juliet@capulet.lit"))
        #expect(try form.boolean("public") == nil)
        #expect(form.values("absent").isEmpty)
    }

    @Test func serializationRoundTrips() throws {
        let form = try DataForm(try Self.element(Self.configurationForm))
        let reparsed = try DataForm(try Self.element(form.makeElement().serialized()))
        #expect(reparsed == form)
    }

    @Test func multiItemResultsRoundTrip() throws {
        let xml = """
            <x xmlns='jabber:x:data' type='result'><reported><field var='name' label='Name'/></reported>\
            <item><field var='name'><value>a</value></field></item>\
            <item><field var='name'><value>b</value></field></item></x>
            """
        let form = try DataForm(try Self.element(xml))
        #expect(form.reported?.map(\.variable) == ["name"])
        #expect(form.items.map { $0.first?.values } == [["a"], ["b"]])
        #expect(try DataForm(form.makeElement()) == form)
    }

    @Test func formTypeMustBeHiddenExceptInSubmittedForms() throws {
        let visible = "<x xmlns='jabber:x:data' type='form'><field var='FORM_TYPE'><value>urn:a</value></field></x>"
        #expect(try DataForm(try Self.element(visible)).formType == nil)
        let submitted = "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>urn:a</value></field></x>"
        #expect(try DataForm(try Self.element(submitted)).formType == "urn:a")
        let form = DataForm(type: .submit, formType: "urn:b", fields: [])
        #expect(form.fields.first?.type == .hidden)
        #expect(throws: DataFormError.self) { try form.requireFormType("urn:a") }
        try form.requireFormType("urn:b")
    }

    @Test(arguments: [
        ("<x xmlns='jabber:x:other' type='form'/>", DataFormError.Code.notADataForm),
        ("<x xmlns='jabber:x:data'/>", .invalidFormType),
        ("<x xmlns='jabber:x:data' type='ask'/>", .invalidFormType),
        ("<x xmlns='jabber:x:data' type='form'><field type='dropdown' var='a'/></x>", .invalidFieldType),
        ("<x xmlns='jabber:x:data' type='form'><field type='text-single'/></x>", .missingVariable),
        ("<x xmlns='jabber:x:data' type='submit'><field var='a'/><field var='a'/></x>", .duplicateVariable),
        (
            "<x xmlns='jabber:x:data' type='form'><field type='text-single' var='a'><value>1</value><value>2</value></field></x>",
            .tooManyValues
        ),
        (
            "<x xmlns='jabber:x:data' type='form'><field type='list-single' var='a'><option/></field></x>",
            .invalidOption
        ),
    ])
    func invalidFormsAreRefused(xml: String, code: DataFormError.Code) throws {
        #expect(try Self.error(xml)?.code == code)
    }

    @Test func typedAccessorsRejectWrongValues() throws {
        var form = DataForm(type: .submit)
        form.set("flag", values: ["yes"])
        form.set("count", values: ["12a"])
        form.set("who", values: ["@nope"])
        form.set("many", values: ["1", "2"])
        #expect(throws: DataFormError(.invalidValue, reason: "field 'flag' is not a boolean: 'yes'")) {
            try form.boolean("flag")
        }
        #expect(throws: DataFormError.self) { try form.integer("count") }
        #expect(throws: DataFormError.self) { try form.jid("who") }
        #expect(throws: DataFormError(.tooManyValues, reason: "field 'many' takes one value, not 2")) {
            try form.singleValue("many")
        }
        #expect(throws: DataFormError.self) { try form.requiredValue("missing") }
        form.set("flag", values: ["0"])
        #expect(try form.boolean("flag") == false)
        form.set("flag", values: ["true"])
        #expect(try form.boolean("flag") == true)
        #expect(form.fields.count == 4)
    }
}
