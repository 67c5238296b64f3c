import ArgumentParser

/// The `wsc` command.
public struct RootCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "wsc")

    public init() {}

    public func run() async throws {}
}
