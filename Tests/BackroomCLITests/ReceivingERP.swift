import BackroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// An ERP that takes movements over HTTP, as a retailer's would: it records each batch once by
/// its `Idempotency-Key` and answers 2xx, and it misbehaves on purpose when told to — refuses,
/// takes a batch but loses the answer, or answers too late.
final class ReceivingERP: Sendable {
    enum Behaviour: Sendable {
        /// 503 without taking the batch.
        case refuse
        /// Takes the batch, then answers 500: central must send it again, and it counts once.
        case loseTheAnswer
        /// Takes the batch and answers only after `delay`.
        case answerLate(Duration)
    }

    struct Received: Sendable {
        var requests = 0
        var keys: Set<String> = []
        /// `ORIGIN:SEQUENCE` in the order taken.
        var movements: [String] = []
        var authorizations: Set<String> = []
    }

    static let token = "erp-bearer-\(UUID().uuidString)"

    private let state = Mutex(Received())
    let coming = Mutex<[Behaviour]>([])

    var received: Received { state.withLock { $0 } }

    /// How the next requests are answered, in turn; after them, every request is taken.
    func then(_ behaviours: [Behaviour]) {
        coming.withLock { $0 += behaviours }
    }

    var application: some ApplicationProtocol {
        let router = Router()
        router.post("erp") { request, _ -> Response in
            let behaviour = self.coming.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            let key = request.headers[HTTPField.Name("Idempotency-Key")!] ?? ""
            let authorization = request.headers[.authorization] ?? ""
            let body = try await request.body.collect(upTo: 64 << 20)
            if case .refuse? = behaviour {
                self.state.withLock { $0.requests += 1 }
                return Response(status: .serviceUnavailable)
            }
            let object = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
            let movements = (object?["movements"] as? [[String: Any]] ?? []).map { "\($0["origin"] ?? ""):\($0["sequence"] ?? "")" }
            self.state.withLock { state in
                state.requests += 1
                state.authorizations.insert(authorization)
                if !key.isEmpty, state.keys.insert(key).inserted { state.movements += movements }
            }
            switch behaviour {
            case .loseTheAnswer?: return Response(status: .internalServerError)
            case .answerLate(let delay)?: try await Poll.pause(delay)
            default: break
            }
            return Response(status: .ok)
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
}
