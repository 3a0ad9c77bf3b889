/// The release: what `fitchat --version` prints and the OpenAPI document's `info.version`.
public enum FitChatVersion {
    public static let current = "0.5.0"
}
