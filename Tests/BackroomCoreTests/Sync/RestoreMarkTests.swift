import BackroomCore
import Testing

struct RestoreMarkTests {
    static let store = try! ServerKey("NORTE")
    static let first = RestoreMark(id: "a", heads: [.central: 500, store: 9])
    static let second = RestoreMark(id: "b", heads: [.central: 550])

    @Test func aStoreAppliesTheMarksAfterTheLastItApplied() {
        #expect(RestoreMark.unapplied([Self.first, Self.second], after: nil) == [Self.first, Self.second])
        #expect(RestoreMark.unapplied([Self.first, Self.second], after: "a") == [Self.second])
        #expect(RestoreMark.unapplied([Self.first, Self.second], after: "b") == [])
        #expect(RestoreMark.unapplied([Self.second], after: "gone") == [Self.second], "a mark it never saw is applied")
    }

    @Test func theCursorGoesBackToTheHeadsButNotForTheStoresOwnOrigin() {
        let cursor = SyncCursor([.central: 900, Self.store: 30, try! ServerKey("SUR"): 4])
        let rewound = Self.first.rewound(cursor, for: Self.store)
        #expect(rewound.position(of: .central) == 500)
        #expect(rewound.position(of: Self.store) == 30, "its own movements it squares with central itself")
        #expect(rewound.position(of: try! ServerKey("SUR")) == 4)
        #expect(Self.first.rewound(SyncCursor([.central: 100]), for: Self.store).position(of: .central) == 100, "never forwards")
        #expect(Self.first.heads(forgottenBy: Self.store) == [.central: 500])
    }

    @Test func marksTravelAsJSONAndNonsenseIsNone() {
        let text = #"[{"id": "a", "heads": {"CENTRAL": 500, "NORTE": 9}}, {"id": "b", "heads": {"CENTRAL": 550}}]"#
        #expect(RestoreMark.parseList(stored: text) == [Self.first, Self.second])
        #expect(RestoreMark.parseList(Self.first.json.asList) == [Self.first])
        #expect(RestoreMark.parseList(stored: nil) == [])
        #expect(RestoreMark.parseList(stored: #"[{"id": "", "heads": {}}]"#) == [])
        #expect(RestoreMark.parseList(stored: #"[{"id": "a", "heads": {"CENTRAL": -1}}]"#) == [])
        #expect(RestoreMark.parseList(stored: "{") == [])
    }
}

extension JSONValue {
    fileprivate var asList: JSONValue { .array([self]) }
}
