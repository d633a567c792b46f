// SPDX-License-Identifier: Apache-2.0
import ArgumentParser

/// The root `driverdom` command. Subcommands are listed in `Driverdom.subcommands`.
package struct Driverdom: AsyncParsableCommand {
    /// Every subcommand, in `--help` order. To add one, write `Sources/DriverdomCLI/
    /// <Name>Command.swift` with a `ParsableCommand` (or `AsyncParsableCommand`) and
    /// append its type here. The planned ones: config, build, flash, run, test, clean.
    package static let subcommands: [ParsableCommand.Type] = [
        CheckCommand.self,
        BoardsCommand.self,
        LayersCommand.self,
        ConfigCommand.self,
        BuildCommand.self,
        LockCommand.self,
        RunCommand.self,
        TestCommand.self,
        FlashCommand.self,
        LicensesCommand.self,
        CleanCommand.self,
    ]

    /// Name, help text and subcommands of `driverdom`.
    package static let configuration = CommandConfiguration(
        commandName: "driverdom",
        abstract: "Build Xen driver-domain (DomD) appliance images for embedded ARM boards.",
        discussion: """
            driverdom composes a board (Boards/<board>.yaml: SoC, memory, boot facts and \
            the devices DomD may own), driver layers (Layers/<name>/layer.yaml: one Xen PV \
            backend each — sndif, displif, kbdif, usbif) and an image (Images/<image>.yaml: \
            which layer serves which device, the driver domain and the guests it serves) \
            into a flashable image and the Xen configuration that goes with it.

            Boards and layers are found in the nearest folder above the image file (or the \
            current folder) that holds both Boards/ and Layers/.

            Start with:
              driverdom check Images/qemu-virt-arm64.yaml
              driverdom boards
              driverdom layers

            Exit status: 0 success, 2 configuration or usage error, 1 internal error, \
            130 interrupted.
            """,
        subcommands: subcommands
    )

    /// Creates the root command (ArgumentParser calls this).
    package init() {}
}
