import BackroomCore
import BackroomStorage
import Hummingbird

/// `GET /api/v1/preferences` (every known preference with its unit, range, default and value
/// in force) and `PUT /api/v1/preferences/{name}` with `{"value": N}` (right `admin`): the same as
/// `backroom preference set`, in force at the next use.
struct PreferenceController {
    let storage: any PreferenceStore
    let auditor: Auditor

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("preferences", use: list)
        group.put("preferences/:name", use: set)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Envelope<[PreferenceValue]> {
        _ = try context.requireAny(of: [.admin])
        var listed: [PreferenceValue] = []
        for preference in Preference.allCases {
            listed.append(
                PreferenceValue(preference: preference, value: preference.effectiveValue(stored: try await storage.storedPreference(preference)))
            )
        }
        return .success(listed)
    }

    @Sendable func set(_ request: Request, context: AppRequestContext) async throws -> Envelope<PreferenceValue> {
        _ = try context.requireAny(of: [.admin])
        let preference: Preference
        do {
            preference = try Preference.named(context.parameters.get("name") ?? "")
        } catch {
            throw EnvelopeError.coded(.notFound, code: "404", error.description)
        }
        let body = try await JSONRequestBody.readObject(request, context: context)
        let text: String
        switch body["value"] {
        case .integer(let number): text = String(number)
        case .string(let digits): text = digits
        default:
            throw EnvelopeError.field(
                "value",
                "value must be \(preference.unit == .flag ? "Y or N" : "a whole number of \(preference.unit.rawValue)")"
            )
        }
        let value: Int
        do {
            value = try preference.validate(text)
        } catch {
            throw EnvelopeError.field("value", error.description)
        }
        try await storage.setPreference(preference, value: value)
        try await auditor.record(
            context,
            .api,
            action: "preference.set",
            target: "preference \(preference.rawValue)",
            detail: .object(["value": .string(preference.text(of: value))])
        )
        return .success(PreferenceValue(preference: preference, value: value))
    }
}

struct PreferenceValue: JSONRepresentable, Sendable {
    let preference: Preference
    let value: Int

    var json: JSONValue {
        .object([
            "name": .string(preference.rawValue),
            "value": written(value),
            "unit": .string(preference.unit.rawValue),
            "min": written(preference.allowedRange.lowerBound),
            "max": written(preference.allowedRange.upperBound),
            "default": written(preference.defaultValue),
        ])
    }

    /// A flag as `Y` / `N`, as it is set; any other value as its number.
    private func written(_ value: Int) -> JSONValue {
        preference.unit == .flag ? .string(preference.text(of: value)) : .integer(Int64(value))
    }
}
