// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
@testable import DomDInit

@Suite("modules.dep as the init reads it")
struct ModuleDependenciesTests {
    static let dep = """
        kernel/drivers/gpu/drm/drm.ko:
        kernel/drivers/gpu/drm/drm_kms_helper.ko: kernel/drivers/gpu/drm/drm.ko
        kernel/drivers/gpu/drm/drm_shmem_helper.ko: kernel/drivers/gpu/drm/drm.ko
        updates/vkms.ko: kernel/drivers/gpu/drm/drm_shmem_helper.ko kernel/drivers/gpu/drm/drm_kms_helper.ko kernel/drivers/gpu/drm/drm.ko
        kernel/drivers/xen/xen-gntdev.ko.xz:
        """

    @Test func dependenciesComeFirstEachOnce() {
        let modules = ModuleDependencies(modulesDep: Self.dep)
        #expect(modules.plan(for: "vkms") == .load([
            "kernel/drivers/gpu/drm/drm.ko", "kernel/drivers/gpu/drm/drm_shmem_helper.ko",
            "kernel/drivers/gpu/drm/drm_kms_helper.ko", "updates/vkms.ko",
        ]))
    }

    @Test(arguments: ["xen-gntdev", "xen_gntdev", "kernel/drivers/xen/xen-gntdev.ko.xz"])
    func namesCompareAsModprobeCompares(name: String) {
        #expect(ModuleDependencies(modulesDep: Self.dep).plan(for: name) == .load(["kernel/drivers/xen/xen-gntdev.ko.xz"]))
    }

    @Test func builtinAndUnknownModulesAreTold() {
        let modules = ModuleDependencies(modulesDep: Self.dep, modulesBuiltin: "kernel/drivers/input/evdev.ko\n")
        #expect(modules.plan(for: "evdev") == .builtin)
        #expect(modules.plan(for: "snd-aloop") == .unknown)
    }

    @Test func aCycleInAHostileFileEndsInsteadOfRecursingForever() {
        let modules = ModuleDependencies(modulesDep: "a.ko: b.ko\nb.ko: a.ko\n")
        #expect(modules.plan(for: "a") == .load(["b.ko", "a.ko"]))
    }
}

@Suite("The init loads modules itself (no modprobe in DomD)")
struct ModuleLoadingTests {
    private func harness(_ modules: [ModuleSpec]) -> Harness {
        var table = ServiceTable(role: .domd, modprobe: ServiceTable.initLoadsModules, modules: modules)
        table.services = []
        let harness = Harness(table)
        harness.control.files["/lib/modules/6.1.0-test-arm64/modules.dep"] = ModuleDependenciesTests.dep
        harness.control.files["/lib/modules/6.1.0-test-arm64/modules.builtin"] = "kernel/drivers/input/evdev.ko\n"
        return harness
    }

    private func loads(_ harness: Harness) -> [String] {
        harness.control.calls.compactMap { call -> String? in
            if case .loadModule(let path, let parameters) = call { return parameters.isEmpty ? path : path + " " + parameters }
            return nil
        }
    }

    @Test func loadsDependenciesThenTheModuleWithItsParametersOnceEach() {
        let harness = harness([ModuleSpec(name: "vkms", parameters: ["enable_writeback=0", "enable_cursor=1"]),
                               ModuleSpec(name: "drm_kms_helper"), ModuleSpec(name: "evdev")])
        harness.control.request(.powerOff, afterMilliseconds: 100)
        harness.initSystem.run()
        let folder = "/lib/modules/6.1.0-test-arm64/"
        #expect(loads(harness) == [folder + "kernel/drivers/gpu/drm/drm.ko",
                                   folder + "kernel/drivers/gpu/drm/drm_shmem_helper.ko",
                                   folder + "kernel/drivers/gpu/drm/drm_kms_helper.ko",
                                   folder + "updates/vkms.ko enable_writeback=0 enable_cursor=1"])
        #expect(harness.control.spawned.isEmpty, "no modprobe program ran")
        #expect(harness.logged("loaded module vkms"))
        #expect(harness.logged("module evdev is built into the kernel"))
    }

    @Test func aModuleThatFailsIsLoggedAndTheNextStillLoads() {
        let harness = harness([ModuleSpec(name: "vkms"), ModuleSpec(name: "xen-gntdev"), ModuleSpec(name: "snd-aloop")])
        harness.control.failingModules["/lib/modules/6.1.0-test-arm64/updates/vkms.ko"] = 8  // ENOEXEC
        harness.control.request(.powerOff, afterMilliseconds: 100)
        harness.initSystem.run()
        #expect(harness.logged("cannot load module vkms: cannot load kernel module /lib/modules/6.1.0-test-arm64/updates/vkms.ko (errno 8)"))
        #expect(loads(harness).last == "/lib/modules/6.1.0-test-arm64/kernel/drivers/xen/xen-gntdev.ko.xz")
        #expect(harness.logged("kernel module snd-aloop is neither in /lib/modules/6.1.0-test-arm64/modules.dep nor built in"))
    }

    @Test func missingModulesDepIsReportedNotFatal() {
        let harness = harness([ModuleSpec(name: "vkms")])
        harness.control.files = [:]
        harness.control.request(.powerOff, afterMilliseconds: 100)
        harness.initSystem.run()
        #expect(loads(harness).isEmpty)
        #expect(harness.logged("cannot read /lib/modules/6.1.0-test-arm64/modules.dep"))
    }

    @Test func tableRoundTripsTheInitLoader() throws {
        let table = ServiceTable(role: .domd, modprobe: ServiceTable.initLoadsModules, modules: [ModuleSpec(name: "uinput")])
        let text = try ServiceTableWriter.write(table)
        #expect(text.contains("\nmodprobe init\n"))
        #expect(try ServiceTableParser.parse(text) == table)
    }
}
