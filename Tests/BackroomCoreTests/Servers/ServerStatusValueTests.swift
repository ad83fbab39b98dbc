import BackroomCore
import Testing

struct ServerStatusValueTests {
    @Test func aLinkWorksWhileOnOrComingOn() {
        #expect(ServerStatus.allCases.filter(\.linkWorks) == [.online, .transitionToOnline])
    }
}
