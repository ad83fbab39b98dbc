import BackroomCore
import Testing

struct OptionalWhitespaceTests {
    @Test(arguments: [
        ("  application/json \t", "application/json"), ("Basic dGplMDpUamUw", "Basic dGplMDpUamUw"),
        (" a b ", "a b"), ("\t", ""), ("", ""),
    ])
    func spacesAndTabsAroundAreDropped(_ text: String, _ expected: String) {
        #expect(text.trimmingOptionalWhitespace == expected)
    }
}
