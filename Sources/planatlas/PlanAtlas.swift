import ArgumentParser

@main
struct PlanAtlas: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "planatlas",
        abstract: "Store, query and export a city's planned works as spatial features.",
        version: version,
        subcommands: [])
}
