// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Foundation
import Testing
@testable import DriverdomBuild

@Suite("What an image builds from Debian's kernel sources")
struct KernelSourceBuildTests {
    private func load(_ image: String) throws -> Configuration {
        let path = repositoryRoot.appendingPathComponent("Images/\(image).yaml").path
        return try Repository.find(from: path).loadImage(at: path)
    }

    @Test func boardWhoseDTBDebianDoesNotShipCompilesItFromSource() throws {
        let configuration = try load("rcar-h3-cockpit")
        #expect(configuration.board.dtbSource == .linuxSource)
        #expect(KernelSourceBuild.sourceDTB(configuration) == "renesas/r8a77951-salvator-xs.dtb")
        #expect(KernelSourceBuild.needed(configuration))
        #expect(KernelSourceBuild.specification(configuration) == "dtb renesas/r8a77951-salvator-xs.dtb")
    }

    @Test func boardUsingThePackagedDTBAndInTreeModulesNeedsNoSource() throws {
        let configuration = try load("imx8mq-evk-hmi")
        #expect(configuration.board.dtbSource == .kernelPackage)
        #expect(!KernelSourceBuild.needed(configuration))
        #expect(KernelSourceBuild.specification(configuration).isEmpty)
    }

    @Test func boundVirtualDeviceWithAModuleBuildIsBuiltOnce() throws {
        var configuration = try load("imx8mq-evk-hmi")
        let build = ModuleBuild(module: "vkms", source: "drivers/gpu/drm/vkms", config: ["CONFIG_DRM_VKMS"])
        for index in configuration.board.devices.indices where ["sound0", "keys0"].contains(configuration.board.devices[index].id) {
            configuration.board.devices[index].moduleBuilds = [build]
        }
        #expect(KernelSourceBuild.moduleBuilds(configuration) == [build])
        #expect(KernelSourceBuild.specification(configuration) == "module vkms drivers/gpu/drm/vkms CONFIG_DRM_VKMS")
        #expect(KernelSourceBuild.packages(forDebianArchitecture: "arm64") == ["linux-source", "linux-headers-arm64"])
    }

    @Test func kernelStepKeyFollowsWhatIsBuiltFromSource() throws {
        var input = PlanFixtures.image()
        let plain = try BuildPlanner.plan(input)
        input.kernelSourceBuild = "module vkms drivers/gpu/drm/vkms CONFIG_DRM_VKMS"
        let withModule = try BuildPlanner.plan(input)
        input.kernelSourceBuild = "module vkms drivers/gpu/drm/vkms CONFIG_DRM_VKMS,CONFIG_FOO"
        let otherConfig = try BuildPlanner.plan(input)
        #expect(withModule.changedSteps(since: plain).contains("kernel"))
        #expect(otherConfig.changedSteps(since: withModule).contains("kernel"))
        #expect(!withModule.changedSteps(since: plain).contains("compile:kbdif-backend"), "compiles do not depend on it")
    }
}

@Suite("Which package ships a path (manifest attribution)")
struct PackageContentsTests {
    @Test func listingLinesBecomeInstalledPaths() {
        let listing = """
            drwxr-xr-x root/root         0 2026-11-04 16:52 ./usr/bin/
            -rwxr-xr-x root/root     67840 2026-11-04 16:52 ./usr/bin/xenstore
            hrwxr-xr-x root/root         0 2026-11-04 16:52 ./usr/bin/xenstore-write link to ./usr/bin/xenstore
            lrwxrwxrwx root/root         0 2026-11-04 16:52 ./usr/lib/aarch64-linux-gnu/libxenstore.so.4 -> libxenstore.so.4.0
            -rw-r--r-- root/root      2032 2026-11-04 16:52 ./usr/share/doc/with space/file name
            """
        #expect(PackageContents.paths(inListing: listing) == [
            "/usr/bin/xenstore", "/usr/bin/xenstore-write", "/usr/lib/aarch64-linux-gnu/libxenstore.so.4",
            "/usr/share/doc/with space/file name",
        ])
    }
}
