// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import DriverdomConfig

/// `driverdom check IMAGE`: validate an image with its board and layers.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate an image file together with its board and layers.",
        discussion: """
            Loads IMAGE, the board it names and every layer it binds, and checks them \
            against the schema and against each other: unknown keys, types, missing \
            keys, devices the board lacks, class mismatches, devices bound twice, guest \
            devices no layer serves, memory beyond the board's RAM, and more.

            Every violation is printed to stderr, sorted, as
              FILE:LINE:COLUMN: error: MESSAGE
            On success one line goes to stdout:
              IMAGE: ok (board BOARD, N layers, M guests)

            Exits 0 when valid, 2 when any violation was found.
            """
    )

    @Argument(help: "The image file, e.g. Images/qemu-virt-arm64.yaml.")
    var image: String

    func run() throws {
        let configuration = try Console.loadImage(image, for: "check")
        let layers = configuration.image.layers.count
        let guests = configuration.image.guests.count
        Console.out("\(image): ok (board \(configuration.board.name), \(layers) layer\(layers == 1 ? "" : "s"),"
            + " \(guests) guest\(guests == 1 ? "" : "s"))")
    }
}
