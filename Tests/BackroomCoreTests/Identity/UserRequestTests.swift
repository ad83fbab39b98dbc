import BackroomCore
import Testing

struct UserRequestTests {
    static func read(_ text: String, _ parse: (JSONValue) throws(InvalidInput) -> UserRequest) -> Result<UserRequest, InvalidInput> {
        do throws(InvalidInput) {
            return .success(try parse(try! JSONReader.read(Array(text.utf8))))
        } catch {
            return .failure(error)
        }
    }

    @Test func aNewUserNeedsANameAndAPasswordAndNamesEveryBadField() throws {
        let made = try Self.read(#"{"name": "clerk", "password": "p", "rights": ["stock", "124"], "shops": [10010]}"#, UserRequest.creation).get()
        #expect(made == UserRequest(name: "clerk", password: "p", rights: [.stock, .reservation], shops: [10010]))
        guard case .failure(let refused) = Self.read(#"{"name": "a b", "rights": "admin", "shops": [0], "x": 1}"#, UserRequest.creation) else {
            Issue.record("accepted")
            return
        }
        #expect(refused.problems.map(\.field) == ["x", "name", "rights", "shops[0]", "password"])
    }

    @Test func aChangeTakesOnlyWhatAChangeMay() throws {
        #expect(try Self.read(#"{"disabled": true}"#, UserRequest.change).get() == UserRequest(disabled: true))
        #expect(try Self.read(#"{"password": "n", "oldPassword": "o"}"#, UserRequest.change).get() == UserRequest(password: "n", oldPassword: "o"))
        guard case .failure(let refused) = Self.read(#"{"name": "other", "disabled": "yes", "password": ""}"#, UserRequest.change) else {
            Issue.record("accepted")
            return
        }
        #expect(refused.problems.map(\.field) == ["name", "password", "disabled"])
    }
}
