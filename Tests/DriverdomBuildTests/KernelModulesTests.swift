// SPDX-License-Identifier: Apache-2.0
import Testing
@testable import DriverdomBuild

@Suite("Kernel module closure from modules.dep")
struct KernelModulesTests {
    private let modules = KernelModules(version: "6.1.0-28-arm64", modulesDep: """
    kernel/drivers/xen/xen-evtchn.ko:
    kernel/drivers/xen/xen-gntdev.ko:
    kernel/sound/drivers/snd-aloop.ko: kernel/sound/core/snd-pcm.ko kernel/sound/core/snd-timer.ko kernel/sound/core/snd.ko kernel/sound/soundcore.ko
    kernel/sound/core/snd-pcm.ko: kernel/sound/core/snd-timer.ko kernel/sound/core/snd.ko kernel/sound/soundcore.ko
    kernel/sound/core/snd-timer.ko: kernel/sound/core/snd.ko kernel/sound/soundcore.ko
    kernel/sound/core/snd.ko: kernel/sound/soundcore.ko
    kernel/sound/soundcore.ko:
    kernel/drivers/input/evdev.ko.xz:
    """, modulesBuiltin: "kernel/drivers/xen/xenbus/xenbus.ko\n")

    @Test func closureIncludesDependencies() throws {
        #expect(try modules.closure(of: ["snd_aloop"]) == [
            "kernel/sound/core/snd-pcm.ko", "kernel/sound/core/snd-timer.ko", "kernel/sound/core/snd.ko",
            "kernel/sound/drivers/snd-aloop.ko", "kernel/sound/soundcore.ko",
        ])
    }

    @Test(arguments: ["xen-evtchn", "xen_evtchn"])
    func dashAndUnderscoreNameTheSameModule(name: String) throws {
        #expect(try modules.closure(of: [name]) == ["kernel/drivers/xen/xen-evtchn.ko"])
    }

    @Test func compressedModulesAreFound() throws {
        #expect(try modules.closure(of: ["evdev"]) == ["kernel/drivers/input/evdev.ko.xz"])
    }

    @Test func builtinModulesNeedNoFile() throws {
        #expect(try modules.closure(of: ["xenbus"]).isEmpty)
    }

    @Test func unknownModuleIsAUserErrorNamingIt() {
        let error = #expect(throws: BuildError.self) { try modules.closure(of: ["vkms", "evdev", "nope"]) }
        guard case let .resolveKernelModulesFailed(names, _)? = error else {
            Issue.record("unexpected error \(String(describing: error))")
            return
        }
        #expect(names == ["vkms", "nope"])
        #expect(error?.isUserError == true)
    }

    @Test func generatedModulesDepListsOnlyTheClosure() throws {
        let closure = try modules.closure(of: ["snd-timer"])
        #expect(modules.modulesDep(for: closure) == """
        kernel/sound/core/snd-timer.ko: kernel/sound/core/snd.ko kernel/sound/soundcore.ko
        kernel/sound/core/snd.ko: kernel/sound/soundcore.ko
        kernel/sound/soundcore.ko:

        """)
    }
}
