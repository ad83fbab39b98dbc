/// What systemd's environment asks of a service's watchdog (sd_watchdog_enabled(3)): with
/// `WatchdogSec=`, systemd sets `WATCHDOG_USEC` (and `WATCHDOG_PID`, the process meant); the
/// service says `WATCHDOG=1` more often than that, here at half of it.
public enum SystemdWatchdog {
    /// How often to ping; nil when no watchdog is asked for this process.
    public static func interval(usec: String?, pid: String?, ownPID: Int32) -> Duration? {
        guard let usec, let micros = Int64(usec), micros > 0 else { return nil }
        if let pid, Int32(pid) != ownPID { return nil }
        return .microseconds(micros / 2)
    }
}
