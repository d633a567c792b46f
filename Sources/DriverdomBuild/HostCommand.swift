// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import Foundation

/// Runs a short host command to completion through BuildEngine's `ToolRunner`
/// and collects its output (used only for planning-time queries: `swift
/// package dump-package`, `swiftc --version`, `git log`). A non-zero exit is
/// returned, not thrown: each caller says what the failure means.
enum HostCommand {
    static func run(_ arguments: [String], in folder: URL? = nil, environment: [String: String] = [:],
                    tools: any ToolRunner = ProcessToolRunner(cancellation: CancellationToken())) throws(BuildError)
        -> ToolResult {
        guard let executable = arguments.first else { throw .runToolFailed(command: arguments, status: -1, output: "no command") }
        do {
            return try tools.run(ToolCommand(executable, Array(arguments.dropFirst()), environment: environment,
                                             workingDirectory: folder?.path),
                                 allowFailure: true)
        } catch {
            throw .runToolFailed(command: arguments, status: -1, output: "\(error)")
        }
    }
}
