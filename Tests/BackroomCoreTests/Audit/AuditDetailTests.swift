import BackroomCore
import Testing

struct AuditDetailTests {
    @Test func secretsAreLeftOutWhereverTheyStand() {
        let detail: JSONValue = .object([
            "Connection": .object(["ConfigFields": .object(["Token": .string("s3cret"), "folder": .string("/srv")])]),
            "password": .string("p"), "list": .array([.object(["token": .string("t")])]), "name": .string("alice"),
        ])
        let text = AuditDetail.text(of: detail)
        #expect(!text.contains("s3cret") && !text.contains(#""p""#) && !text.contains(#""t""#))
        #expect(text.contains("/srv") && text.contains("alice"))
        #expect(AuditDetail.redacted(.object(["token": .integer(5)])) == .object(["token": .string("***")]))
    }

    @Test func anEntryToBeWrittenKeepsItsDetailAsRedactedText() {
        let entry = AuditEntry.new(
            at: 5,
            actor: "tje0",
            channel: .agent,
            origin: "127.0.0.1",
            action: "a",
            target: "t",
            detail: .object(["token": .string("x")])
        )
        #expect(entry.detail == #"{"token":"***"}"#)
        #expect(entry.id == 0)
    }
}
