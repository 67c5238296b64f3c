/// The version of wsc, shown to the user on request and sent in `User-Agent`.
public enum WSCVersion {
    /// The current release.
    public static let current = "0.1.0"
}
