/// Where the status and ping services answer: the original suite's paths, which its servers
/// call and Backroom's call too, and Backroom's own alias of the status service.
public enum StatusServicePaths {
    static let prefix = "/org.openbravo.mobile.core.service.jsonrest/org.openbravo.mobile.core.servercontroller."
    public static let status = prefix + "RetrieveMobileServerStatus"
    public static let ping = prefix + "MobileServerStatusInformation"
    public static let backroomStatus = "/api/v1/servers/status"
}
