import BackroomCore
import Testing

struct PropertySelectionTests {
    static let status = ErpValue.object(
        type: "ErpSyncEngineStatus",
        [
            ErpProperty("IsRunning", .bool(true)),
            ErpProperty("StatusMessage", .string("Idle")),
            ErpProperty("TableRight", .object(type: "TableRight", [ErpProperty("Mask", .string("FULL")), ErpProperty("Reason", .string(""))])),
            ErpProperty("FieldProperties", .map([ErpProperty("IsRunning", .string("x")), ErpProperty("StatusMessage", .string("y"))])),
        ]
    )

    @Test func whatIsNotSelectedIsNullAndTheShapeStays() throws {
        let selection = try #require(PropertySelection("isrunning, TABLERIGHT/mask"))
        #expect(
            selection.apply(to: Self.status)
                == .object(
                    type: "ErpSyncEngineStatus",
                    [
                        ErpProperty("IsRunning", .bool(true)),
                        ErpProperty("StatusMessage", .null),
                        ErpProperty("TableRight", .object(type: "TableRight", [ErpProperty("Mask", .string("FULL")), ErpProperty("Reason", .null)])),
                        ErpProperty("FieldProperties", .null),
                    ]
                )
        )
    }

    @Test func aMapIsSelectedByItsKeysAndAListItemByItem() throws {
        let selection = try #require(PropertySelection("FieldProperties/StatusMessage"))
        let list = ErpValue.list(item: "ErpSyncEngineStatus", [Self.status, Self.status])
        guard case .list(_, let items) = selection.apply(to: list) else {
            Issue.record("not a list")
            return
        }
        #expect(items.count == 2)
        for item in items {
            guard case .object(_, let properties) = item else {
                Issue.record("not an object")
                continue
            }
            #expect(properties[0].value == .null)
            #expect(properties[3].value == .map([ErpProperty("IsRunning", .null), ErpProperty("StatusMessage", .string("y"))]))
        }
    }

    @Test func noSelectionFillsEverything() {
        #expect(PropertySelection(nil) == nil)
        #expect(PropertySelection("") == nil)
        #expect(PropertySelection(" , ,") == nil)
    }
}
