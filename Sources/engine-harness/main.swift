// SPDX-License-Identifier: Apache-2.0
//
// engine-harness SOURCE CACHE OUT — runs a small real build in its own
// process so tests can interrupt it (SIGINT, kill -9) or run two at once.
// For each SOURCE/*.txt a step "upper/NAME" writes NAME.out (upper-cased)
// plus filler files; "combine" concatenates them; "summary" hashes that.
// Exports combine and summary to OUT. Events go to stdout as JSON lines;
// the exit status is the build's exit code (130 when interrupted).
//
// Environment: HARNESS_PAUSE_STEP=ID makes that step write part of its
// output, create the file HARNESS_MARKER, then wait 60 s (in-process, or by
// running `sleep 60` through the tool runner when HARNESS_PAUSE_TOOL=1).
// HARNESS_STEP_DELAY_MS=N makes every upper-case step take N ms longer, so
// two harnesses started together overlap.
import BuildEngine
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: engine-harness SOURCE CACHE OUT\n".utf8))
    exit(2)
}
let (source, cache, out) = (arguments[1], arguments[2], arguments[3])
let environment = ProcessInfo.processInfo.environment
let pauseStep = environment["HARNESS_PAUSE_STEP"]
let marker = environment["HARNESS_MARKER"]
let pauseWithTool = environment["HARNESS_PAUSE_TOOL"] == "1"
let stepDelay = Double(environment["HARNESS_STEP_DELAY_MS"] ?? "0").map { $0 / 1000 } ?? 0

@Sendable func pauseIfAsked(_ context: StepContext) throws {
    guard context.step.rawValue == pauseStep else { return }
    if let marker { try Data().write(to: URL(fileURLWithPath: marker)) }
    if pauseWithTool {
        try context.tools.run("sleep", "60")
    } else {
        Thread.sleep(forTimeInterval: 60)
    }
}

let names = ((try? FileManager.default.contentsOfDirectory(atPath: source)) ?? [])
    .filter { $0.hasSuffix(".txt") }.sorted()
var steps: [Step] = []
for name in names {
    let base = String(name.dropLast(4))
    steps.append(Step(id: StepID("upper/\(base)"), description: "Upper-case \(name)", kind: "harness-upper",
                      inputs: [.file(path: source + "/" + name, label: name)]) { context in
        let text = try String(contentsOfFile: source + "/" + name, encoding: .utf8)
        let folder = context.outputDirectory.appendingPathComponent("filler")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for index in 0..<8 {
            try Data(repeating: UInt8(index), count: 32_768).write(to: folder.appendingPathComponent("f\(index)"))
        }
        if stepDelay > 0 { Thread.sleep(forTimeInterval: stepDelay) }
        try pauseIfAsked(context)
        try Data(text.uppercased().utf8).write(to: context.outputDirectory.appendingPathComponent(base + ".out"))
    })
}
let upperIDs = steps.map(\.id)
steps.append(Step(id: "combine", description: "Combine upper-cased files", kind: "harness-combine",
                  inputs: upperIDs.map { .output(of: $0) }) { context in
    var text = ""
    for id in upperIDs {
        let base = String(id.rawValue.dropFirst("upper/".count))
        text += try String(contentsOf: context.outputDirectory(of: id).appendingPathComponent(base + ".out"), encoding: .utf8)
    }
    try pauseIfAsked(context)
    try Data(text.utf8).write(to: context.outputDirectory.appendingPathComponent("combined.txt"))
})
steps.append(Step(id: "summary", description: "Summarise", kind: "harness-summary",
                  inputs: [.output(of: "combine")]) { context in
    let data = try Data(contentsOf: context.outputDirectory(of: "combine").appendingPathComponent("combined.txt"))
    try Data("\(data.count) bytes\n".utf8).write(to: context.outputDirectory.appendingPathComponent("summary.txt"))
})

let cancellation = CancellationToken()
let trap = InterruptTrap(cancelling: cancellation)
let options = BuildOptions(cacheDirectory: cache, outputDirectory: out,
                           reporter: JSONLinesReporter(sink: .standardOutput), cancellation: cancellation)
let result = BuildEngine.run(BuildPlan(steps: steps, exports: [OutputExport(step: "combine"), OutputExport(step: "summary")]),
                             options: options)
exit(result.exitCode)
