import BackroomCore
import Testing

struct ErpLanguageTests {
    @Test func soLanguageWinsOverAcceptLanguage() {
        #expect(ErpLanguage.chosen(soLanguage: "de", acceptLanguage: "sv") == .de)
        #expect(ErpLanguage.chosen(soLanguage: "xx", acceptLanguage: "sv") == .sv, "an unknown SO-Language leaves the choice to Accept-Language")
    }

    @Test(arguments: [
        ("sv", ErpLanguage.sv), ("da-DK", .da), ("nb-NO", .no), ("nn", .no), ("NL", .nl),
        ("de;q=0.5, nl", .nl), ("fr, da;q=0.8, sv;q=0.9", .sv), ("de, sv", .de), ("sv;q=0, da;q=0.1", .da), ("en-GB,en;q=0.9", .en),
    ])
    func acceptLanguageIsWeighedByItsQValues(_ header: String, _ language: ErpLanguage) {
        #expect(ErpLanguage.chosen(soLanguage: nil, acceptLanguage: header) == language)
    }

    @Test func noLanguageOfOursIsNoChoice() {
        #expect(ErpLanguage.chosen(soLanguage: nil, acceptLanguage: nil) == nil)
        #expect(ErpLanguage.chosen(soLanguage: nil, acceptLanguage: "fr, es;q=0.5") == nil)
        #expect(ErpLanguage.chosen(soLanguage: nil, acceptLanguage: "sv;q=0") == nil)
    }
}
