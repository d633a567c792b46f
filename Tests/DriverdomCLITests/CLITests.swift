// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// Runs the real `driverdom` executable: output and exit statuses.
@Suite(.enabled(if: ToolRun.executable != nil, "the driverdom executable was not built next to the tests"))
struct CLITests {
    static var brokenCases: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: ToolRun.brokenFixtures + "/Images")) ?? []
        return files.filter { $0.hasSuffix(".yaml") && $0 != "valid.yaml" }.map { String($0.dropLast(5)) }.sorted()
    }

    @Test func checkAcceptsTheDefaultImage() throws {
        let run = try ToolRun(["check", "Images/qemu-virt-arm64.yaml"], in: ToolRun.packageRoot)
        #expect(run.status == 0)
        #expect(run.stdout == "Images/qemu-virt-arm64.yaml: ok (board qemu-virt-arm64, 4 layers, 1 guest)\n")
        // A cold package cache leaves package licenses unchecked, said in notes; nothing else may be printed.
        #expect(run.stderrLines.allSatisfy { $0.hasPrefix("driverdom: note: ") }, "\(run.stderr)")
    }

    @Test func checkAcceptsTheFixtureBaseline() throws {
        let run = try ToolRun(["check", "Images/valid.yaml"], in: ToolRun.brokenFixtures)
        #expect(run.status == 0)
        #expect(run.stdout == "Images/valid.yaml: ok (board rcar-h3-salvator-xs, 4 layers, 2 guests)\n")
    }

    @Test(arguments: brokenCases)
    func checkPrintsEveryViolationAndExits2(name: String) throws {
        let image = "Images/\(name).yaml"
        let run = try ToolRun(["check", image], in: ToolRun.brokenFixtures)
        let expectedText = try String(contentsOfFile: ToolRun.brokenFixtures + "/Images/\(name).expected",
                                      encoding: .utf8)
        let expected = expectedText.split(separator: "\n").map(String.init)
        let count = expected.count
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderrLines == expected + [
            "driverdom: error: Unable to check \(image): \(count) configuration error\(count == 1 ? "" : "s")",
        ])
    }

    @Test func flashOfAnUnbuiltImageConfigSaysToBuildFirst() throws {
        let out = NSTemporaryDirectory() + "driverdom-cli-flash-\(UUID().uuidString)"
        let target = out + "-target.img"
        let run = try ToolRun(["flash", "Images/valid.yaml", "--out", out, "--device", target], in: ToolRun.brokenFixtures)
        #expect(run.status == 2)
        #expect(run.stderr == "driverdom: error: Unable to flash Images/valid.yaml: \(out)/disk.img does not exist;"
            + " run `driverdom build Images/valid.yaml` first\n")
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func checkNamesAMissingImage() throws {
        let run = try ToolRun(["check", "Images/nonexistent.yaml"], in: ToolRun.brokenFixtures)
        #expect(run.status == 2)
        #expect(run.stderr == "driverdom: error: Unable to check Images/nonexistent.yaml: cannot read"
            + " 'Images/nonexistent.yaml': no such file or directory\n")
    }

    @Test func checkOutsideARepositorySaysWhy() throws {
        // No built-in collection either: DRIVERDOM_HOME names a folder without one.
        let run = try ToolRun(["check", "/proc/version"], in: "/", environment: ["DRIVERDOM_HOME": "/nonexistent"])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("driverdom: error: Unable to check /proc/version: no folder holding both"
            + " Boards/ and Layers/ above '/proc/version'"))
    }

    /// A table row's cells (columns are separated by two or more spaces).
    static func cells(_ line: String) -> [String] {
        line.replacingOccurrences(of: " {2,}", with: "\t", options: .regularExpression)
            .split(separator: "\t").map(String.init)
    }

    static func rows(_ output: String) -> [[String]] {
        output.split(separator: "\n").map { cells(String($0)) }
    }

    @Test func boardsListsTheRepositoryBoards() throws {
        let run = try ToolRun(["boards"], in: ToolRun.packageRoot)
        #expect(run.status == 0)
        let rows = Self.rows(run.stdout)
        #expect(rows.first == ["NAME", "ARCH", "SOC", "DEVICES"])
        #expect(rows.contains(["qemu-virt-arm64", "aarch64", "qemu-virt",
                               "loopback-sound (sound), virtual-input (input), power-button (input), dummy-usb (usb), usbip-vhci (usb), vkms-display (display)"]))
    }

    @Test func boardsReportsBrokenBoardsAndExits2() throws {
        let run = try ToolRun(["boards", "--repo", ToolRun.brokenFixtures], in: "/")
        #expect(run.status == 2)
        #expect(Self.rows(run.stdout).contains { $0.prefix(3) == ["rcar-h3-salvator-xs", "aarch64", "r8a7795"] })
        #expect(run.stderrLines.contains { $0.hasSuffix("error: unsupported architecture 'x86_64' for"
            + " 'architecture' (expected one of: aarch64, armv7)") })
        #expect(run.stderrLines.last?.hasPrefix("driverdom: error: Unable to list boards: invalid board file(s):"
            + " board-arch, board-boot") == true)
    }

    @Test func layersListsProtocolBindsExecutableLicense() throws {
        let run = try ToolRun(["layers"], in: ToolRun.packageRoot + "/Images")
        #expect(run.status == 0)
        let rows = Self.rows(run.stdout)
        #expect(rows.first == ["NAME", "PROTOCOL", "XENSTORE", "BINDS", "EXECUTABLE", "LICENSE"])
        #expect(rows.contains(["kbdif", "vkb", "vinput", "input", "kbdif-backend", "GPL-2.0-only OR MIT"]))
    }

    @Test func tablesAlignTheirColumns() throws {
        let run = try ToolRun(["layers", "--repo", ToolRun.brokenFixtures], in: "/")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.first)
        let column = try #require(header.range(of: "PROTOCOL")).lowerBound.utf16Offset(in: header)
        for line in lines.dropFirst() {
            let cells = Self.cells(line)
            let start = try #require(line.range(of: "  " + cells[1])).upperBound.utf16Offset(in: line)
                - cells[1].utf16.count
            #expect(start == column, "\(line)")
        }
    }

    @Test(arguments: [["check"], ["frobnicate"], ["check", "a.yaml", "b.yaml"], ["boards", "--bogus"]])
    func usageErrorsExit2(arguments: [String]) throws {
        let run = try ToolRun(arguments, in: ToolRun.packageRoot)
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("driverdom: error: "))
        #expect(run.stderr.contains("Usage: driverdom"))
    }

    @Test(arguments: [["--help"], ["check", "--help"], ["help", "boards"]])
    func helpExits0(arguments: [String]) throws {
        let run = try ToolRun(arguments, in: ToolRun.packageRoot)
        #expect(run.status == 0)
        #expect(run.stdout.contains("USAGE: driverdom"))
    }

    @Test func rootHelpListsSubcommandsAndExitStatuses() throws {
        let run = try ToolRun(["--help"], in: ToolRun.packageRoot)
        for word in ["check", "boards", "layers", "Exit status: 0 success, 2 configuration or usage error"] {
            #expect(run.stdout.contains(word))
        }
    }

    /// SIGINT while `check` blocks reading a FIFO exits 130.
    @Test func interruptExits130() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("driverdom-sigint-\(ProcessInfo.processInfo.processIdentifier)").path
        try? FileManager.default.removeItem(atPath: folder)
        for sub in ["Boards", "Layers"] {
            try FileManager.default.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: true)
        }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fifo = folder + "/image.yaml"
        try #require(mkfifo(fifo, 0o600) == 0)
        let process = try ToolRun.start(["check", fifo], in: folder)
        // Opening the FIFO for writing returns once driverdom has opened it for
        // reading, i.e. after its SIGINT handler is installed; it then blocks in read.
        let writer = open(fifo, O_WRONLY)
        try #require(writer >= 0)
        defer { close(writer) }
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 130)
    }
}
