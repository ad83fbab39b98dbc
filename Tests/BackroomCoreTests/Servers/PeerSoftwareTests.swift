import BackroomCore
import Testing

struct PeerSoftwareTests {
    @Test func aStoreMayBeOlderThanCentralButNeverNewer() {
        #expect(PeerSoftware.maySync(store: 1, central: 2))
        #expect(PeerSoftware.maySync(store: 2, central: 2))
        #expect(!PeerSoftware.maySync(store: 3, central: 2))
        #expect(PeerSoftware.newerThanCentral(store: 3, central: 2).contains("update central first"))
    }

    @Test(
        arguments: [
            ("0.25.0", "2", true), ("1.0.0-rc.1+build.7", "12", true), (nil, "2", false), ("0.25.0", nil, false), ("", "2", false),
            ("0.25 0", "2", false), ("<b>", "2", false), ("0.25.0", "two", false), ("0.25.0", "0", false), ("0.25.0", "-1", false),
            (String(repeating: "9", count: 65), "2", false),
        ] as [(String?, String?, Bool)]
    )
    func headersNameSoftwareOnlyWhenTheyMakeSense(_ version: String?, _ syncProtocol: String?, _ named: Bool) {
        #expect((PeerSoftware(version: version, syncProtocol: syncProtocol) != nil) == named)
    }

    @Test func theWatchdogIsPingedAtHalfItsTimeoutAndOnlyForItsOwnProcess() {
        #expect(SystemdWatchdog.interval(usec: "30000000", pid: nil, ownPID: 42) == .seconds(15))
        #expect(SystemdWatchdog.interval(usec: "30000000", pid: "42", ownPID: 42) == .seconds(15))
        #expect(SystemdWatchdog.interval(usec: "30000000", pid: "7", ownPID: 42) == nil)
        #expect(SystemdWatchdog.interval(usec: nil, pid: nil, ownPID: 42) == nil)
        #expect(SystemdWatchdog.interval(usec: "0", pid: nil, ownPID: 42) == nil)
        #expect(SystemdWatchdog.interval(usec: "soon", pid: nil, ownPID: 42) == nil)
    }
}
