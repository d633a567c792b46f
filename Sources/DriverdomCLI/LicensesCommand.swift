// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import BuildEngine
import DriverdomBuild
import DriverdomConfig

/// `driverdom licenses IMAGE`: components × licenses, and the obligations that follow.
struct LicensesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "licenses",
        abstract: "List an image's components with their licenses and the obligations of shipping them.",
        discussion: """
            After a build, reads licenses.json from the image's output folder: every Debian \
            package, driverdom executable and kernel module whose files the root filesystems \
            carry. Before a build, lists what `driverdom check` sees (the packages the image \
            names and the layers' backends, from the package cache) and says so.

            Columns: component, version, kind, the root filesystems that carry it, the \
            policy's verdict and the license that counts (a license the policy concluded, else \
            the declared one; NOASSERTION when unknown). Then, per component, the licenses it \
            is shipped under (of its OR choices, the one allowed with the fewest obligations) \
            and the obligations: the source offer (exact Debian source package and version) \
            for copyleft components, relinking for LGPL, and the license texts on board.
            """
    )

    @Argument(help: "The image file, e.g. Images/qemu-virt-arm64.yaml.")
    var image: String

    @Option(help: ArgumentHelp("Output folder of the built image (default out/<image name>).", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("Build cache (default $DRIVERDOM_CACHE or ~/.cache/driverdom).", valueName: "dir"))
    var cache: String?

    func run() throws {
        let configuration = try Console.loadImage(image, for: "list licenses of")
        let locations = BuildLocations(output: out, cache: cache)
        let folder = locations.outputFolder(image: configuration.image.name)
        let rows: [LicenseAudit.Row]
        if let record = LicenseRecord.read(outputFolder: folder) {
            rows = record.rows
            Console.out("Components of \(configuration.image.name) as built in \(folder.path):")
        } else {
            let declared = DeclaredLicenses(configuration, packageCache: locations.packageCache,
                                            tools: ProcessToolRunner(cancellation: CancellationToken()))
            rows = LicenseAudit(declared.components, configuration: configuration).rows
            for note in declared.notes { Console.err("driverdom: note: \(note)") }
            Console.out("Components \(configuration.image.name) names (not built yet: dependencies are listed after"
                + " driverdom build):")
        }
        var table = TextTable(["COMPONENT", "VERSION", "KIND", "IN", "VERDICT", "LICENSE"])
        for row in rows {
            let component = row.component
            table.add([component.name, component.version, component.kind.rawValue,
                       component.rootfs.isEmpty ? "-" : component.rootfs.joined(separator: ","), row.verdict,
                       component.concluded.map { "\($0) (concluded)" } ?? component.declared ?? "NOASSERTION"])
        }
        table.lines.forEach(Console.out)
        Console.out("")
        Console.out("Obligations:")
        for row in rows where !row.obligations.isEmpty {
            let under = row.shippedUnder.map { " under " + $0.joined(separator: " AND ") } ?? ""
            Console.out("  \(row.component.name) \(row.component.version)\(under):")
            for obligation in row.obligations { Console.out("    - \(obligation)") }
        }
        let refused = rows.filter { $0.verdict == "refused" }.count
        if refused > 0 {
            throw CommandFailure(action: "list licenses of \(image)", reason: "the license policy refuses \(refused)"
                + " component\(refused == 1 ? "" : "s"); `driverdom check` says where", isUserError: true)
        }
    }
}
