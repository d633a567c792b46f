// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import DriverdomConfig

/// `driverdom layers`: list the driver layers of the repository.
struct LayersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layers",
        abstract: "List the driver layers in Layers/.",
        discussion: """
            Prints one row per Layers/<name>/layer.yaml: name, the Xen PV protocol it \
            serves, the board device class it binds, its backend executable and its \
            license. A layer file with violations is reported on stderr and the command \
            exits 2 after listing the valid ones.
            """
    )

    @Option(name: .customLong("repo"), help: ArgumentHelp(
        "Folder holding Boards/ and Layers/ (default: found from the current folder).", valueName: "dir"))
    var repository: String?

    func run() throws {
        let repository = try Console.repository(repository, for: "list layers")
        var table = TextTable(["NAME", "PROTOCOL", "XENSTORE", "BINDS", "EXECUTABLE", "LICENSE"])
        var broken: [String] = []
        for name in repository.layerNames() {
            do {
                let layer = try repository.loadLayer(named: name)
                table.add([layer.name, layer.protocolName, layer.xenstoreFolder, layer.binds.rawValue, layer.executable,
                           layer.license])
            } catch {
                Console.printDiagnostics(of: error)
                broken.append(name)
            }
        }
        table.lines.forEach(Console.out)
        if !broken.isEmpty {
            throw CommandFailure(action: "list layers", reason: "invalid layer file(s): "
                + broken.joined(separator: ", "), isUserError: true)
        }
    }
}
