// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Foundation

/// Where commands print: stdout for results, stderr for diagnostics.
package enum Console {
    /// The current directory; diagnostic paths under it are printed relative to it.
    package static var currentDirectory: String { FileManager.default.currentDirectoryPath }

    /// `path` relative to the current directory when it lies below it.
    package static func relative(_ path: String) -> String {
        let prefix = currentDirectory.hasSuffix("/") ? currentDirectory : currentDirectory + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// Prints a result line to stdout.
    package static func out(_ line: String) {
        print(line)
    }

    /// Prints a line to stderr.
    package static func err(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Prints each diagnostic of a configuration error to stderr, paths relative to
    /// the current directory, so an editor can jump to them.
    package static func printDiagnostics(of error: ConfigError) {
        guard case .validationFailed(let diagnostics) = error else { return }
        for diagnostic in diagnostics {
            err(diagnostic.formatted(relativeTo: currentDirectory))
        }
    }

    /// Loads an image for `verb` (e.g. "check"), printing diagnostics to stderr and
    /// turning failures into a `CommandFailure` that names the image.
    package static func loadImage(_ path: String, for verb: String) throws -> Configuration {
        do {
            return try Repository.find(from: path).loadImage(at: path)
        } catch {
            printDiagnostics(of: error)
            throw CommandFailure(action: "\(verb) \(path)", error: error)
        }
    }

    /// The repository at `path`, or found from the current directory.
    package static func repository(_ path: String?, for action: String) throws -> Repository {
        do {
            return try Repository.find(from: path ?? currentDirectory)
        } catch {
            throw CommandFailure(action: action, error: error)
        }
    }
}
