// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import BuildEngine
import DriverdomBuild
import DriverdomConfig

/// `driverdom check IMAGE`: validate an image with its board and layers, and the
/// licenses of what it names against its license policy.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate an image file together with its board, layers and license policy.",
        discussion: """
            Loads IMAGE, the board it names, every layer it binds and the license policy \
            (license-policy.yaml beside Boards/ and the image's license_policy:), and checks \
            them against the schema and against each other: unknown keys, types, missing \
            keys, devices the board lacks, class mismatches, devices bound twice, guest \
            devices no layer serves, memory beyond the board's RAM, and more.

            Then it checks the licenses of the packages the image names (the base image \
            packages and every layer's packages:) and of the layers' backends against the \
            policy. Package licenses come from the package cache (it never downloads): a \
            package not cached yet is listed as not checked. `driverdom build` checks every \
            package whose files its root filesystems carry, dependencies included.

            Every violation is printed to stderr, sorted, as
              FILE:LINE:COLUMN: error: MESSAGE
            On success one line goes to stdout:
              IMAGE: ok (board BOARD, N layers, M guests)

            Exits 0 when valid, 2 when any violation was found.
            """
    )

    @Argument(help: "The image file, e.g. Images/qemu-virt-arm64.yaml.")
    var image: String

    @Option(help: ArgumentHelp("Build cache whose packages are read (default $DRIVERDOM_CACHE or ~/.cache/driverdom).",
                               valueName: "dir"))
    var cache: String?

    func run() throws {
        let configuration = try Console.loadImage(image, for: "check")
        let locations = BuildLocations(output: nil, cache: cache)
        let declared = DeclaredLicenses(configuration, packageCache: locations.packageCache,
                                        tools: ProcessToolRunner(cancellation: CancellationToken()))
        let audit = LicenseAudit(declared.components, configuration: configuration)
        for note in declared.notes { Console.err("driverdom: note: \(note)") }
        for warning in audit.warnings { Console.err("driverdom: warning: \(warning)") }
        if !audit.errors.isEmpty {
            for diagnostic in audit.errors { Console.err(diagnostic.formatted(relativeTo: Console.currentDirectory)) }
            throw CommandFailure(action: "check \(image)", reason: "the license policy refuses \(audit.errors.count)"
                + " component\(audit.errors.count == 1 ? "" : "s")", isUserError: true)
        }
        let layers = configuration.image.layers.count
        let guests = configuration.image.guests.count
        Console.out("\(image): ok (board \(configuration.board.name), \(layers) layer\(layers == 1 ? "" : "s"),"
            + " \(guests) guest\(guests == 1 ? "" : "s"))")
    }
}
