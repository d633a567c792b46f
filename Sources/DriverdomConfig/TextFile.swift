// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Reads a configuration file as UTF-8 text with plain blocking `open`/`read`, so a
/// FIFO (e.g. a shell process substitution) works as well as a regular file.
enum TextFile {
    /// Why a read failed, as a short lower-case phrase.
    struct Failure: Error {
        let reason: String
    }

    /// The file's text, or the reason it could not be read.
    static func read(_ path: String) -> Result<String, Failure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(Failure(reason: describe(errno))) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in
                Foundation.read(descriptor, raw.baseAddress, raw.count)
            }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(Failure(reason: describe(errno)))
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(Failure(reason: "not valid UTF-8 text"))
        }
        return .success(text)
    }

    /// `strerror` text, first letter lower-cased to read inside a sentence.
    private static func describe(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}
