import ArgumentParser

struct PlanAtlas: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "planatlas",
        abstract: "Store, query and export a city's planned works as spatial features.",
        discussion: "Exit status: 0 ok, 1 error, 2 usage.",
        version: version,
        subcommands: [Serve.self, Layers.self, Near.self, Overlaps.self, Export.self, Import.self, Validate.self])
}

/// Runs the command line with the exit codes scripts rely on: 0 ok, 1 error, 2 usage.
/// (ArgumentParser's own default for usage errors is 64.)
@main
enum Main {
    static func main() async {
        do {
            var command = try PlanAtlas.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            printError("planatlas: \(failure.message)")
            exitProcess(1)
        } catch {
            let code = PlanAtlas.exitCode(for: error)
            let message = PlanAtlas.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                exitProcess(0)
            }
            if !message.isEmpty { printError(message) }
            exitProcess(code == .validationFailure ? 2 : 1)
        }
    }
}

/// A failure the user can act on; its message names the bad value. Exits with status 1.
struct CommandFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
