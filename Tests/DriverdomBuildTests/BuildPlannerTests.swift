// SPDX-License-Identifier: Apache-2.0
import CrossToolchain
import DriverdomConfig
import Testing
@testable import DriverdomBuild

@Suite("Build planner cache keys")
struct BuildPlannerTests {
    private let base = try! BuildPlanner.plan(PlanFixtures.image())

    private func changed(_ edit: (inout ImagePlanInput) -> Void) throws -> Set<String> {
        var input = PlanFixtures.image()
        edit(&input)
        return try BuildPlanner.plan(input).changedSteps(since: base)
    }

    @Test func everyPlanChecksLicensesAndTheSBOMFollowsTheCheck() throws {
        var input = PlanFixtures.image()
        input.outputs = [.initramfs]
        let plan = try BuildPlanner.plan(input)
        #expect(plan["licenses"]?.dependencies == ["rootfs", "fetch", "kernel"])
        #expect(plan["output:sbom"] == nil)
        #expect(base["licenses"]?.dependencies.contains("control-rootfs") == true)
        #expect(base["output:sbom"]?.dependencies.first == "licenses")
    }

    @Test func policyChangeRedoesOnlyTheLicenseCheckAndTheSBOM() throws {
        #expect(try changed { $0.licensePolicy = "deny GPL-3.0-only" } == ["licenses", "output:sbom"])
        #expect(try changed { $0.archiveURI = "http://mirror.invalid/debian" } == ["output:sbom"])
    }

    private let downstreamOfRootfs: Set<String> = ["rootfs", "output:initramfs", "output:ext4", "control-rootfs",
                                                  "output:disk", "output:bmap", "output:manifest", "licenses",
                                                  "output:sbom"]
    private let compileFree: Set<String> = ["fetch", "sysroot", "compile", "kernel"]
    /// The one compile step of driverdom's own programs, and the stages that take its output.
    private let programs: Set<String> = ["compile", "stage:kbdif", "stage:sndif"]

    @Test func planningTwiceGivesTheSameKeys() throws {
        #expect(try changed { _ in }.isEmpty)
    }

    @Test func everyStepHasADistinctKey() {
        #expect(Set(base.steps.map(\.key)).count == base.steps.count)
    }

    @Test("a backend's source edit redoes the programs' compile (one SwiftPM build: SwiftPM recompiles only what changed) and what takes its output")
    func layerSourceEditRecompilesThePrograms() throws {
        let result = try changed { $0.layers[0].executable.sourceDigest = "kbdif-src-v2" }
        #expect(result == downstreamOfRootfs.union(programs))
    }

    @Test("driverdom's own programs compile in one step named after them; an out-of-tree backend in a step of its own")
    func programsCompileTogetherVendorBackendsApart() throws {
        #expect(base["compile"]?.title == "compile driverdom-init, kbdif-backend, sndif-backend for aarch64")
        #expect(!base.ids.contains { $0.hasPrefix("compile:") })
        var input = PlanFixtures.image()
        input.layers[1].executable.vendor = true
        let plan = try BuildPlanner.plan(input)
        #expect(plan["compile"]?.title == "compile driverdom-init, kbdif-backend for aarch64")
        #expect(plan["compile:sndif-backend"]?.dependencies == ["sysroot"])
        #expect(plan["stage:sndif"]?.dependencies.first == "compile:sndif-backend")
        input.layers[1].executable.sourceDigest = "vendor-v2"
        #expect(try BuildPlanner.plan(input).changedSteps(since: plan)
            == downstreamOfRootfs.union(["compile:sndif-backend", "stage:sndif"]))
    }

    @Test func optionChangeInvalidatesServiceTableAndRootfsButNoCompile() throws {
        let result = try changed { $0.layers[1].options["grab"] = "false" }
        #expect(result == downstreamOfRootfs.union(["service-table"]))
    }

    @Test func domdModeChangesServiceTableAndRootfs() throws {
        let result = try changed { $0.domdMode = "dom0" }
        #expect(result == downstreamOfRootfs.union(["service-table"]))
    }

    @Test func bindingChangeInvalidatesServiceTable() throws {
        let result = try changed { $0.layers[0].bindings = ["other-input"] }
        #expect(result == downstreamOfRootfs.union(["service-table"]))
    }

    @Test func lockChangeInvalidatesFetchSysrootAndEverythingDownstreamButTheKernel() throws {
        let result = try changed { $0.packageLockDigest = "lock-v2" }
        #expect(result == Set(base.ids).subtracting(["service-table", "kernel"]))
    }

    @Test("the kernel step is keyed by the locked linux-* packages, not by the rest of the lock or the tool")
    func kernelPackagesKeyTheKernelStep() throws {
        let result = try changed { $0.kernelPackages = ["linux-image-6.1.0-41-arm64 6.1.158-1 abcd"] }
        #expect(result.contains("kernel"))
        #expect(!result.contains("fetch") && !result.contains("compile"))
        #expect(base["kernel"]?.dependencies.isEmpty == true)
    }

    @Test(arguments: ["toolchain", "flags"])
    func compilerChangeInvalidatesEveryCompile(name: String) throws {
        let result = try changed { input in
            if name == "toolchain" { input.toolchainVersion = "Swift version 6.4" } else { input.compileFlags = ["-O"] }
        }
        let expected = downstreamOfRootfs.union(programs)
        #expect(result == expected, "\(name)")
    }

    @Test("the SDK's code generation and link flags are part of every compile step's key")
    func sdkFlagsAreCompileFlags() {
        let flags = PlanInputResolver.compileFlags
        #expect(flags.contains("swift-flags=" + SwiftSDK.embeddedFlags.joined(separator: " ")))
        #expect(flags.contains("link-flags=" + SwiftSDK.fixedLinkerFlags.joined(separator: " ")))
    }

    @Test func initSourceEditRecompilesThePrograms() throws {
        let result = try changed { $0.initExecutable.sourceDigest = "init-v2" }
        #expect(result == downstreamOfRootfs.union(programs))
        #expect(base["control-rootfs"]?.dependencies.contains("compile") == true)
    }

    @Test func newToolRedoesAssemblyButNoFetchSysrootCompileOrKernel() throws {
        let result = try changed { $0.assemblerDigest = "tool-v2" }
        #expect(result == Set(base.ids).subtracting(compileFree))
    }

    @Test func kernelModuleChangeRestagesOnlyThatLayer() throws {
        let result = try changed { $0.layers[1].kernelModules.append("snd-aloop") }
        #expect(result == downstreamOfRootfs.union(["stage:sndif"]))
    }

    @Test func epochChangeRewritesRootfsAndOutputsOnly() throws {
        #expect(try changed { $0.sourceDateEpoch += 1 } == downstreamOfRootfs)
    }

    @Test func flashLayoutChangeRewritesDiskAndBmapOnly() throws {
        #expect(try changed { $0.flashLayout = "boot:32MiB,rootfs:auto" } == ["output:disk", "output:bmap"])
    }

    @Test func ownInputsLeaveDependenciesToTheEngine() throws {
        var input = PlanFixtures.image()
        input.packageLockDigest = "lock-v2"
        let plan = try BuildPlanner.plan(input)
        // The stage's key changes with the lock (it chains), its own inputs do not:
        // the engine keys it on the sysroot's and kernel's output digests instead.
        #expect(plan["stage:kbdif"]?.key != base["stage:kbdif"]?.key)
        #expect(plan["stage:kbdif"]?.inputs == base["stage:kbdif"]?.inputs)
        #expect(plan["fetch"]?.inputs != base["fetch"]?.inputs)
        let compile = try #require(base["compile"])
        #expect(compile.inputs.contains(StepField(label: "sources", value: "kbdif-src-v1")))
        #expect(compile.dependencies == ["sysroot"])
    }

    @Test func debugShellChangesOnlyTheRootfsAndDownstream() throws {
        #expect(try changed { $0.debugShell = true } == downstreamOfRootfs)
    }

    @Test func stepsComeAfterTheirDependencies() {
        var seen: Set<String> = []
        for step in base.steps {
            #expect(step.dependencies.allSatisfy(seen.contains), "\(step.id)")
            seen.insert(step.id)
        }
    }

    @Test func bmapAloneStillPlansDiskAndWhatItCarries() throws {
        var input = PlanFixtures.image()
        input.outputs = [.bmap]
        let ids = try BuildPlanner.plan(input).ids
        #expect(ids.filter { $0 != "licenses" }.suffix(5)
            == ["output:initramfs", "image-packages", "control-rootfs", "output:disk", "output:bmap"])
        #expect(!ids.contains("output:ext4"))
        #expect(!ids.contains("output:manifest"))
    }

    @Test func xenConfigChangeRebuildsOnlyTheControlDomainDiskAndManifest() throws {
        // The manifest lists the control domain's rootfs too.
        #expect(try changed { $0.xenConfigDigest = "xen-v2" }
            == ["control-rootfs", "output:disk", "output:bmap", "output:manifest", "licenses", "output:sbom"])
    }
}

@Suite("Build planner --layer selection")
struct LayerSelectionTests {
    @Test func nothingForcedByDefault() throws {
        #expect(try BuildPlanner.plan(PlanFixtures.image()).steps.allSatisfy { !$0.forced })
    }

    @Test func layerForcesItsCompileAndStageOnly() throws {
        // What depends on them reruns only if their output changes (the engine's early cutoff).
        let plan = try BuildPlanner.plan(PlanFixtures.image(), forcedLayers: ["sndif"])
        let forced = Set(plan.steps.filter(\.forced).map(\.id))
        #expect(forced == ["compile", "stage:sndif"])
    }

    @Test func forcingDoesNotChangeKeys() throws {
        let plain = try BuildPlanner.plan(PlanFixtures.image())
        let forced = try BuildPlanner.plan(PlanFixtures.image(), forcedLayers: ["kbdif"])
        #expect(forced.changedSteps(since: plain).isEmpty)
    }

    @Test func unknownLayerIsAUserError() throws {
        let error = #expect(throws: BuildError.self) {
            try BuildPlanner.plan(PlanFixtures.image(), forcedLayers: ["usbif"])
        }
        #expect(error == .selectLayerFailed(name: "usbif", available: ["kbdif", "sndif"]))
        #expect(error?.isUserError == true)
    }
}
