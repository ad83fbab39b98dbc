import BackroomCore
import Testing

struct AgentRequestBodyTests {
    static func xml(_ text: String) throws(AgentRequestBody.Problem) -> JSONValue {
        try AgentRequestBody.parse(Array(text.utf8), contentType: "application/xml")
    }

    @Test func xmlParametersAreTheRootsChildren() throws {
        let body = """
            <?xml version="1.0" encoding="utf-8"?>
            <!-- the agent's own client writes this -->
            <Request xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
              <ErpConnectionId>3</ErpConnectionId>
              <Name>A &amp; B &lt;C&gt; &#233;&#x20AC; <![CDATA[<raw> & ]]></Name>
              <Ids><int>3</int><int>1</int></Ids>
              <Connection><Active>true</Active><Missing i:nil="true"/></Connection>
              <Empty/>
            </Request>
            """
        #expect(
            try Self.xml(body)
                == .object([
                    "ErpConnectionId": .string("3"),
                    "Name": .string("A & B <C> é€ <raw> & "),
                    "Ids": .array([.string("3"), .string("1")]),
                    "Connection": .object(["Active": .string("true"), "Missing": .null]),
                    "Empty": .string(""),
                ])
        )
    }

    @Test(arguments: [
        "<a><b></a></b>", "<a>", "<a></a><b></b>", "<a></a>trailing", "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>", "<a>&unknown;</a>",
        "<a b=c></a>", "<a>&#0;</a>", "</a>", "", "<a><![CDATA[never closed</a>", "<a\u{0}></a>",
    ])
    func malformedXMLIsRefused(_ text: String) {
        guard !text.isEmpty else { return }
        #expect(throws: AgentRequestBody.Problem.malformed) { try Self.xml(text) }
    }

    @Test func invalidUTF8AndDeepNestingAreRefused() {
        #expect(throws: AgentRequestBody.Problem.malformed) {
            try AgentRequestBody.parse([UInt8]("<a>".utf8) + [0xFF, 0xFF] + [UInt8]("</a>".utf8), contentType: "text/xml")
        }
        let deep = String(repeating: "<a>", count: 100) + String(repeating: "</a>", count: 100)
        #expect(throws: AgentRequestBody.Problem.malformed) { try Self.xml(deep) }
    }
}
