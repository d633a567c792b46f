// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import Foundation

/// A fresh temporary folder per test, removed on deinit.
final class Scratch: Sendable {
    let path: String
    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("engine-test-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    var cache: String { path + "/cache" }
    var out: String { path + "/out" }
    var source: String { path + "/src" }

    func write(_ relative: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOfFile: path + "/" + relative, encoding: .utf8)
    }
}

/// Counts how often each step's action ran.
// @unchecked Sendable: `counts` is read and written only under `lock`.
final class RunCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    func hit(_ id: StepID) { lock.lock(); counts[id.rawValue, default: 0] += 1; lock.unlock() }
    func take() -> [String: Int] { lock.lock(); defer { counts = [:]; lock.unlock() }; return counts }
}

/// Builds `plan` with test defaults (no tools run unless given).
@discardableResult
func build(_ plan: BuildPlan, in scratch: Scratch, forced: Set<StepID> = [], verification: CacheVerification = .sizes,
           tools: (any ToolRunner)? = nil, reporter: any BuildReporter = NullReporter(), jobs: Int = 2,
           output: Bool = true) -> BuildResult {
    BuildEngine.run(plan, options: BuildOptions(cacheDirectory: scratch.cache, outputDirectory: output ? scratch.out : nil,
                                                jobs: jobs, forcedSteps: forced, verification: verification,
                                                tools: tools ?? RecordingToolRunner(), reporter: reporter))
}

extension BuildResult {
    var succeeded: Bool { if case .succeeded = status { return true } else { return false } }
    var failedStep: StepID? { if case .failed(let step, _) = status { return step } else { return nil } }
    var failure: BuildEngineError? { if case .failed(_, let error) = status { return error } else { return nil } }
}

/// Path of an executable product built next to the test bundle.
func productPath(_ name: String) -> String? {
    var candidates: [URL] = []
    let arg0 = URL(fileURLWithPath: CommandLine.arguments[0])
    candidates.append(arg0.deletingLastPathComponent())
    candidates.append(Bundle.main.bundleURL)
    candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
    for folder in candidates {
        var url = folder
        for _ in 0..<4 {
            let candidate = url.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            url = url.deletingLastPathComponent()
        }
    }
    return nil
}
