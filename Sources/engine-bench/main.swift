// SPDX-License-Identifier: Apache-2.0
//
// engine-bench [STEPS] [FILES_PER_STEP] — times the build engine on a
// generated graph (default 50 steps × 10 input files = 500 files): five
// layers of ten steps, each step hashing its own source files plus the
// outputs of two steps of the layer before. Prints the cold build time,
// the no-op rebuild time (the figure that must stay well under 1 s), and
// the rebuild time after touching one source file, with steps run in each.
import BuildEngine
import Foundation

let arguments = CommandLine.arguments
let stepCount = arguments.count > 1 ? Int(arguments[1]) ?? 50 : 50
let filesPerStep = arguments.count > 2 ? Int(arguments[2]) ?? 10 : 10
let width = 10

let work = FileManager.default.temporaryDirectory.appendingPathComponent("engine-bench-\(getpid())").path
defer { try? FileManager.default.removeItem(atPath: work) }
let sources = work + "/src"
for step in 0..<stepCount {
    let folder = sources + "/s\(step)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for file in 0..<filesPerStep {
        let text = String(repeating: "step \(step) file \(file)\n", count: 200)
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/f\(file).swift"))
    }
}

var steps: [Step] = []
for step in 0..<stepCount {
    let folder = sources + "/s\(step)"
    var inputs: [StepInput] = (0..<filesPerStep).map { .file(path: folder + "/f\($0).swift", label: "s\(step)/f\($0)") }
    inputs.append(.flags("swiftc", ["-Osize", "-enable-experimental-feature", "Embedded"]))
    inputs.append(.toolVersion("swiftc", "6.3.1"))
    if step >= width {
        inputs.append(.output(of: StepID("s\(step - width)")))
        inputs.append(.output(of: StepID("s\(step - width + (step + 1) % width)")))
    }
    steps.append(Step(id: StepID("s\(step)"), description: "Bench step \(step)", kind: "bench", inputs: inputs) { context in
        var total = 0
        for file in 0..<filesPerStep {
            total += try Data(contentsOf: URL(fileURLWithPath: folder + "/f\(file).swift")).count
        }
        try Data("\(step): \(total)\n".utf8).write(to: context.outputDirectory.appendingPathComponent("result.txt"))
    })
}
let plan = BuildPlan(steps: steps, exports: [OutputExport(step: StepID("s\(stepCount - 1)"), destination: "last")])

func timed(_ label: String) -> Double {
    let options = BuildOptions(cacheDirectory: work + "/cache", outputDirectory: work + "/out")
    let start = Date()
    let result = BuildEngine.run(plan, options: options)
    let seconds = Date().timeIntervalSince(start)
    guard case .succeeded = result.status else {
        print("\(label): build did not succeed: \(result.status)")
        exit(1)
    }
    print(String(format: "%@: %.3f s, %d steps run, %d cached", label, seconds, result.stepsRun.count, result.stepsCached.count))
    return seconds
}

print("engine-bench: \(stepCount) steps, \(stepCount * filesPerStep) input files")
_ = timed("cold build")
// Let file mtimes age past the racy window so the stat cache can trust them,
// as it would for sources not edited in the last two seconds.
Thread.sleep(forTimeInterval: 2.1)
_ = timed("first rebuild (fills the stat cache)")
let noop = timed("no-op rebuild")
try Data("edited\n".utf8).write(to: URL(fileURLWithPath: sources + "/s0/f0.swift"))
_ = timed("rebuild after editing one file")
print(String(format: "no-op rebuild: %.3f s (goal: under 1 s)", noop))
