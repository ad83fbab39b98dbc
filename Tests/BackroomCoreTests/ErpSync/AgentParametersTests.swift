import BackroomCore
import Testing

struct AgentParametersTests {
    static func parameters(_ text: String, _ contentType: String = "application/json") throws -> AgentParameters {
        AgentParameters(try AgentRequestBody.parse(Array(text.utf8), contentType: contentType))
    }

    @Test func listsOfIdsArriveInEveryForm() throws {
        #expect(try Self.parameters(#"{"ErpConnectionIds": [3, "1", 2]}"#).integers("ErpConnectionIds") == [3, 1, 2])
        #expect(
            try Self.parameters("<R><ErpConnectionIds><int>3</int><int>1</int></ErpConnectionIds></R>", "text/xml").integers("ErpConnectionIds") == [
                3, 1,
            ]
        )
        #expect(
            try Self.parameters("<R><ErpConnectionIds><int>3</int></ErpConnectionIds></R>", "text/xml").integers("ErpConnectionIds") == [3],
            "one child is one item"
        )
        #expect(try Self.parameters("<R><ErpConnectionIds/></R>", "text/xml").integers("ErpConnectionIds") == [])
        #expect(try Self.parameters("erpconnectionids=3,1", "application/x-www-form-urlencoded").integers("ErpConnectionIds") == [3, 1])
        #expect(try Self.parameters("{}").integers("InternalKeyIds") == [])
        #expect(throws: AgentParameters.Problem.mustBeInteger("ErpConnectionIds")) {
            try Self.parameters(#"{"ErpConnectionIds": [1.5]}"#).integers("ErpConnectionIds")
        }
        // Found by schemathesis: an object is no list, except XML's one `<int>` child.
        #expect(throws: AgentParameters.Problem.mustBeInteger("InternalKeyIds")) {
            try Self.parameters(#"{"InternalKeyIds": {}}"#).integers("InternalKeyIds")
        }
        #expect(throws: AgentParameters.Problem.mustBeInteger("InternalKeyIds")) {
            try Self.parameters(#"{"InternalKeyIds": {"a": 1}}"#).integers("InternalKeyIds")
        }
    }

    @Test func settingsArriveAsObjectsXMLChildrenKeyValuePairsOrFormFields() throws {
        #expect(
            try Self.parameters(#"{"ConfigFields": {"folder": "/srv", "batchSize": 5}}"#).strings("ConfigFields") == [
                "folder": "/srv", "batchSize": "5",
            ]
        )
        #expect(
            try Self.parameters("<R><ConfigFields><folder>/srv</folder></ConfigFields></R>", "text/xml").strings("ConfigFields") == ["folder": "/srv"]
        )
        let pairs =
            "<R><ConfigFields><KeyValuePair><Key>a</Key><Value>1</Value></KeyValuePair><KeyValuePair><Key>b</Key><Value>2</Value></KeyValuePair></ConfigFields></R>"
        #expect(try Self.parameters(pairs, "text/xml").strings("ConfigFields") == ["a": "1", "b": "2"])
        let form = "ConfigFields.folder=%2Fsrv&ConfigFields%5Btoken%5D=t"
        #expect(try Self.parameters(form, "application/x-www-form-urlencoded").strings("ConfigFields") == ["folder": "/srv", "token": "t"])
        #expect(try Self.parameters("{}").strings("ConfigFields") == nil)
        #expect(throws: AgentParameters.Problem.mustBeObject("ConfigFields")) {
            try Self.parameters(#"{"ConfigFields": [1]}"#).strings("ConfigFields")
        }
    }

    @Test func jsonLabelledAsAFormIsReadAsJSON() throws {
        // What `curl -d '{…}'` sends without a Content-Type of its own.
        let curl = try Self.parameters(#" {"Interval": "00:01:00"}"#, "application/x-www-form-urlencoded")
        #expect(try curl.text("Interval") == "00:01:00")
        #expect(try Self.parameters("Interval=00%3A01%3A00", "application/x-www-form-urlencoded").text("Interval") == "00:01:00")
    }

    @Test func aTextIsTextAWholeNumberOrABoolean() throws {
        #expect(try Self.parameters(#"{"Url": "http://erp", "Name": 3, "Flag": true, "None": null}"#).text("url") == "http://erp")
        #expect(try Self.parameters(#"{"Name": 3}"#).text("Name") == "3")
        #expect(try Self.parameters(#"{"Flag": true}"#).text("Flag") == "true")
        #expect(try Self.parameters(#"{"None": null}"#).text("None") == nil)
        for wrong in [#"{}"#, #"[]"#, "1.5"] {
            #expect(throws: AgentParameters.Problem.mustBeText("Url")) { try Self.parameters(#"{"Url": \#(wrong)}"#).text("Url") }
        }
    }

    @Test func aNestedObjectIsReadLikeTheBody() throws {
        let json = try Self.parameters(#"{"Connection": {"ErpConnectionId": 0, "Active": "true"}}"#).object("Connection")
        #expect(try json.integer("erpconnectionid") == 0 && json.boolean("Active") == true)
        let form = try Self.parameters("Connection.ErpConnectorId=3&Connection.DisplayName=ERP", "application/x-www-form-urlencoded").object(
            "Connection"
        )
        #expect(try form.integer("ErpConnectorId") == 3 && form.text("DisplayName") == "ERP")
        #expect(throws: AgentParameters.Problem.mustBeObject("Connection")) { try Self.parameters(#"{"Connection": 3}"#).object("Connection") }
        #expect(try Self.parameters("{}").object("Connection").optionalInteger("ErpConnectionId") == nil)
    }
}
