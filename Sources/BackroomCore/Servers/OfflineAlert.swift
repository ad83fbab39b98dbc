/// When a store that is OFF calls for someone: once it has been OFF for longer than the wait
/// after which a failing store is counted offline (`OBMOBC_TransitionToOfflineWait`), twice
/// that wait since its link first failed. A store that never came online is OFF since it was
/// registered, which the registry does not know: it calls at once.
public enum OfflineAlert {
    public static func isDue(offlineSince: Int64?, now: Int64, waitMillis: Int) -> Bool {
        guard let offlineSince else { return true }
        return now - offlineSince > Int64(waitMillis)
    }
}
