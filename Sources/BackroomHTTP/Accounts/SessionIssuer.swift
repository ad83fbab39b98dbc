import BackroomCore
import BackroomSecurity
import BackroomStorage
import Hummingbird

/// Opens and closes browser sessions: a random session token and XSRF token, stored as
/// fingerprints only, handed to the browser as cookies (`SameSite=Strict`; the session's
/// `HttpOnly`, the XSRF token readable by the page so that it can send it back as a header;
/// `Secure` when the server speaks HTTPS).
struct SessionIssuer: Sendable {
    static let lifetimeSeconds = 8 * 3600

    let storage: any IdentityStore
    let clock: BackroomClock
    /// Whether cookies are sent back over HTTPS only.
    let secure: Bool

    func open(for principal: Principal, on response: inout Response) async throws {
        let token = SecretToken.generate()
        let xsrf = SecretToken.generate()
        try await storage.createSession(
            NewSession(
                fingerprint: SecretToken.fingerprint(token),
                xsrfFingerprint: SecretToken.fingerprint(xsrf),
                userID: principal.userID,
                expiresAt: clock.nowMillis() + Int64(Self.lifetimeSeconds) * 1000
            )
        )
        response.setCookie(
            Cookie(
                name: SessionCookie.session,
                value: token,
                maxAge: Self.lifetimeSeconds,
                path: "/",
                secure: secure,
                httpOnly: true,
                sameSite: .strict
            )
        )
        response.setCookie(
            Cookie(name: SessionCookie.xsrf, value: xsrf, maxAge: Self.lifetimeSeconds, path: "/", secure: secure, httpOnly: false, sameSite: .strict)
        )
    }

    func close(_ request: Request, on response: inout Response) async throws {
        if let token = request.cookies[SessionCookie.session]?.value {
            try await storage.deleteSession(fingerprint: SecretToken.fingerprint(token))
        }
        for (name, httpOnly) in [(SessionCookie.session, true), (SessionCookie.xsrf, false)] {
            response.setCookie(Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: httpOnly, sameSite: .strict))
        }
    }
}
