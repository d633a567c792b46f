// SPDX-License-Identifier: Apache-2.0
import Foundation

extension FileContent {
    /// Reads the whole content into memory.
    package func readAll() throws(RootfsAssemblyError) -> [UInt8] {
        switch self {
        case let .bytes(bytes):
            return bytes
        case let .file(path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .readContentFailed(path: path, errno: access(path, R_OK) == 0 ? EIO : errno)
            }
            return [UInt8](data)
        }
    }

    /// Size in bytes without reading the content.
    package func size() throws(RootfsAssemblyError) -> UInt64 {
        switch self {
        case let .bytes(bytes):
            return UInt64(bytes.count)
        case let .file(path):
            var info = stat()
            guard stat(path, &info) == 0 else { throw .readContentFailed(path: path, errno: errno) }
            return UInt64(info.st_size)
        }
    }
}
