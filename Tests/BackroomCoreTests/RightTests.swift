import BackroomCore
import Testing

struct RightTests {
    @Test func namesAndLegacyIDsBothNameARight() {
        #expect(Right(named: "reservation") == .reservation)
        #expect(Right(named: "124") == .reservation)
        #expect(Right(named: "123") == .atp)
        #expect(Right(named: "ERPSYNC") == .erpsync)
        #expect(Right(named: "125") == nil)
        #expect(Right(named: "superuser") == nil)
    }

    @Test func legacyRightsKeepTheirTitles() {
        #expect(Right.reservation.title == "Reservation REST service")
        #expect(Right.reservation.legacyID == 124)
        #expect(Right.atp.legacyID == 123)
        #expect(Right.admin.legacyID == nil)
    }
}

struct PrincipalTests {
    let clerk = Principal(userID: 2, name: "tje0", rights: [.reservation, .atp], shops: [10010])
    let admin = Principal(userID: 1, name: "admin", rights: [.admin], shops: [])

    @Test func aUserHoldsOnlyItsRightsAndShops() {
        #expect(clerk.holds(.reservation))
        #expect(!clerk.holds(.stock))
        #expect(clerk.holdsAny(of: [.stock, .atp]))
        #expect(!clerk.holdsAny(of: [.stock, .admin]))
        #expect(clerk.mayActOn(shop: 10010))
        #expect(!clerk.mayActOn(shop: 10020))
    }

    @Test func adminHoldsEveryRightAndShop() {
        for right in Right.allCases { #expect(admin.holds(right)) }
        #expect(admin.mayActOn(shop: 99999))
    }
}

struct UserNameTests {
    @Test(arguments: ["", "a:b", "two words", String(repeating: "x", count: 65)])
    func refusesNamesBasicAuthenticationCannotCarry(_ name: String) {
        #expect(throws: ConfigurationError.self) { try UserName.validate(name) }
    }

    @Test func acceptsOrdinaryNames() throws {
        #expect(try UserName.validate("tje0") == "tje0")
    }
}
