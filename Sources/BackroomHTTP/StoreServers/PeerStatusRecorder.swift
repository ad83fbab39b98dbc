import BackroomCore
import BackroomStorage
import Logging

/// Writes what a calling server says of itself into this server's registry, whether it said so
/// in `PeerHeaders` (Backroom) or in its request body (`PeerBody`, the original suite).
struct PeerStatusRecorder: Sendable {
    let storage: any ServerRegistryStore
    let own: ServerKey
    let clock: BackroomClock

    /// `pinged`: the call was a ping, so `lastPing` is noted too; `statusKnown`: the status was
    /// recorded already (from the headers), only the ping is to be noted.
    func record(_ key: ServerKey, _ status: ServerStatus, statusKnown: Bool = false, pinged: Bool = false, logger: Logger) async {
        guard key != own else { return }
        do {
            let now = clock.nowMillis()
            if !statusKnown { try await storage.recordServerStatus(key, status, at: now, reason: nil) }
            if pinged { try await storage.recordPing(key, at: now) }
        } catch {
            // The request itself does not depend on this bookkeeping.
            logger.warning("could not record a caller's status", metadata: ["server": "\(key)", "error": "\(error)"])
        }
    }
}
