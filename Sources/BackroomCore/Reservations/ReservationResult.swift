/// The answer to one reservation command once its batch is stored.
public enum ReservationResult: Sendable, Equatable {
    case created(ReservationSnapshot)
    /// An earlier answer to the same idempotency key and request, given again.
    case replayed(ReservationSnapshot)
    case changed(Reservation, wasExpired: Bool)
    case cancelled
    case committed(Reservation)
    case failed(ReservationFailure)
}

extension ReservationPlanner.Plan {
    /// The answers, once the new reservations have the ids the database gave them (in the
    /// order of `created`).
    public func results(createdIDs: [Int64]) -> [ReservationResult] {
        var results: [ReservationResult] = []
        for outcome in outcomes {
            switch outcome {
            case .created(let index):
                results.append(.created(created[index].snapshot(id: createdIDs[index])))
            case .replayed(let snapshot): results.append(.replayed(snapshot))
            case .sameAs(let command):
                switch results[command] {
                case .created(let snapshot), .replayed(let snapshot): results.append(.replayed(snapshot))
                default: results.append(results[command])
                }
            case .changed(let reservation, let wasExpired): results.append(.changed(reservation, wasExpired: wasExpired))
            case .cancelled: results.append(.cancelled)
            case .committed(let reservation): results.append(.committed(reservation))
            case .failed(let failure): results.append(.failed(failure))
            }
        }
        return results
    }
}
