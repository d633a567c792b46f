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
        #expect(!withModule.changedSteps(since: plain).contains("compile"), "compiles do not depend on it")
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

@Suite("The test guests' out-of-tree modules and their load order")
struct GuestModulesTests {
    private func load(_ image: String) throws -> Configuration {
        let path = repositoryRoot.appendingPathComponent("Images/\(image).yaml").path
        return try Repository.find(from: path).loadImage(at: path)
    }

    @Test func defaultImageBuildsTheFrontendsDebianLacksForItsTestGuest() throws {
        let configuration = try load("qemu-virt-arm64")
        #expect(KernelSourceBuild.guestModuleBuilds(configuration).map(\.module) == ["drm_xen_front", "xen-hcd"])
        #expect(!KernelSourceBuild.moduleBuilds(configuration).contains { $0.module == "drm_xen_front" },
                "test-guest modules are not DomD's")
        let specification = KernelSourceBuild.specification(configuration)
        #expect(specification.contains("guest-module drm_xen_front drivers/gpu/drm/xen CONFIG_DRM_XEN_FRONTEND"))
        #expect(specification.contains("guest-module xen-hcd drivers/usb/host/xen-hcd.c CONFIG_USB_XEN_HCD"))
        #expect(specification.contains("module vkms drivers/gpu/drm/vkms CONFIG_DRM_VKMS"))
    }

    @Test func imageWithOnlyTestGuestModulesNeedsTheSources() throws {
        var configuration = try load("imx8mq-evk-hmi")
        #expect(!KernelSourceBuild.needed(configuration))
        configuration.image.test.guestModules = [ModuleBuild(module: "xen-hcd", source: "drivers/usb/host/xen-hcd.c",
                                                             config: ["CONFIG_USB_XEN_HCD"])]
        #expect(KernelSourceBuild.needed(configuration))
    }

    @Test func modulesDepLinesBecomeDependencyLists() {
        let parsed = GuestModules.parseModulesDep("""
            kernel/drivers/gpu/drm/drm_kms_helper.ko: kernel/drivers/gpu/drm/drm.ko kernel/drivers/gpu/drm/drm_panel_orientation_quirks.ko
            kernel/drivers/gpu/drm/drm.ko: kernel/drivers/gpu/drm/drm_panel_orientation_quirks.ko
            kernel/drivers/gpu/drm/drm_panel_orientation_quirks.ko:
            """)
        #expect(parsed["kernel/drivers/gpu/drm/drm.ko"] == ["kernel/drivers/gpu/drm/drm_panel_orientation_quirks.ko"])
        #expect(parsed["kernel/drivers/gpu/drm/drm_panel_orientation_quirks.ko"] == [])
        #expect(parsed.count == 3)
    }

    @Test func dependenciesLoadFirstAndOnce() {
        let quirks = "kernel/drivers/gpu/drm/drm_panel_orientation_quirks.ko"
        let drm = "kernel/drivers/gpu/drm/drm.ko"
        let helper = "kernel/drivers/gpu/drm/drm_kms_helper.ko"
        let shbuf = "kernel/drivers/xen/xen-front-pgdir-shbuf.ko"
        let dependencies = [helper: [drm, quirks], drm: [quirks], quirks: [], shbuf: []]
        #expect(GuestModules.loadOrder(of: [drm, helper, shbuf], dependencies: dependencies) == [quirks, drm, helper, shbuf])
    }

    @Test func dependsFieldIsReadFromModinfo() {
        var bytes = Array("\u{7f}ELF junk\0license=GPL\0".utf8)
        bytes += Array("depends=drm,drm_kms_helper,xen-front-pgdir-shbuf\0vermagic=6.1\0".utf8)
        #expect(GuestModules.dependsField(Data(bytes)) == ["drm", "drm_kms_helper", "xen-front-pgdir-shbuf"])
        #expect(GuestModules.dependsField(Data("x\0depends=\0name=y\0".utf8)) == [])
        #expect(GuestModules.dependsField(Data("no such field".utf8)) == [])
    }

    @Test func moduleNamesCompareLikeTheKernels() {
        #expect(GuestModules.moduleName(ofPath: "kernel/drivers/xen/xen-front-pgdir-shbuf.ko") == "xen_front_pgdir_shbuf")
        #expect(GuestModules.moduleName(ofPath: "kernel/drivers/usb/core/usbcore.ko.xz") == "usbcore")
    }

    @Test func completeCopiesDependenciesAndWritesTheLoadOrder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("guest-modules-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let modules = root.appendingPathComponent("lib/modules/6.1")
        let folder = root.appendingPathComponent("out")
        for path in ["kernel/drivers/gpu/drm/drm.ko", "kernel/drivers/usb/core/usbcore.ko", "kernel/drivers/usb/common/usb-common.ko"] {
            try FileManager.default.createDirectory(at: modules.appendingPathComponent(path).deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try Data(path.utf8).write(to: modules.appendingPathComponent(path))
        }
        try Data("""
            kernel/drivers/gpu/drm/drm.ko:
            kernel/drivers/usb/core/usbcore.ko: kernel/drivers/usb/common/usb-common.ko
            kernel/drivers/usb/common/usb-common.ko:

            """.utf8).write(to: modules.appendingPathComponent("modules.dep"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("\0depends=usbcore\0".utf8).write(to: folder.appendingPathComponent("xen-hcd.ko"))
        try Data("\0depends=drm\0".utf8).write(to: folder.appendingPathComponent("drm_xen_front.ko"))
        try GuestModules.complete(folder, modulesRoot: modules)
        let order = try String(contentsOf: folder.appendingPathComponent("load-order"), encoding: .utf8)
        #expect(order == "drm.ko\nusb-common.ko\nusbcore.ko\ndrm_xen_front.ko\nxen-hcd.ko\n")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("usb-common.ko").path))

        try Data("\0depends=nosuch\0".utf8).write(to: folder.appendingPathComponent("other.ko"))
        #expect(throws: BuildError.self) { try GuestModules.complete(folder, modulesRoot: modules) }
    }
}
