// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import DriverdomConfig

/// `driverdom boards`: list the boards of the repository.
struct BoardsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boards",
        abstract: "List the boards in Boards/.",
        discussion: """
            Prints one row per Boards/<name>.yaml: name, architecture, SoC and the ids \
            of the devices DomD can own. A board file with violations is reported on \
            stderr and the command exits 2 after listing the valid ones.
            """
    )

    @Option(name: .customLong("repo"), help: ArgumentHelp(
        "Folder holding Boards/ and Layers/ (default: found from the current folder).", valueName: "dir"))
    var repository: String?

    func run() throws {
        let repository = try Console.repository(repository, for: "list boards")
        var table = TextTable(["NAME", "ARCH", "SOC", "DEVICES"])
        var broken: [String] = []
        for name in repository.boardNames() {
            do {
                let board = try repository.loadBoard(named: name)
                let devices = board.devices.map { "\($0.id) (\($0.deviceClass.rawValue))" }
                table.add([board.name, board.architecture.rawValue, board.soc, devices.joined(separator: ", ")])
            } catch {
                Console.printDiagnostics(of: error)
                broken.append(name)
            }
        }
        table.lines.forEach(Console.out)
        if !broken.isEmpty {
            throw CommandFailure(action: "list boards", reason: "invalid board file(s): "
                + broken.joined(separator: ", "), isUserError: true)
        }
    }
}
