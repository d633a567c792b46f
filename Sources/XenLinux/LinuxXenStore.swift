// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import CXen
import XenCore

/// xenstore through libxenstore (`xs_open`, `xs_read`, `xs_write`, …).
public final class LinuxXenStore: XenStore {
    private let handle: OpaquePointer

    /// Connects to xenstored (`xs_open(0)`).
    public init() throws(XenError) {
        guard let handle = xs_open(0) else { throw .storeOpenFailed(errno: cxen_errno()) }
        self.handle = handle
    }

    deinit { xs_close(handle) }

    public func read(_ path: String, transaction: XenTransaction) throws(XenError) -> String? {
        var length: UInt32 = 0
        let data = path.withCString { xs_read(handle, transaction.rawValue, $0, &length) }
        guard let data else {
            let code = cxen_errno()
            if code == ENOENT { return nil }
            throw .storeReadFailed(path: path, errno: code)
        }
        defer { free(data) }
        let bytes = UnsafeRawBufferPointer(start: data, count: Int(length))
        return String(decoding: bytes, as: UTF8.self)
    }

    public func write(_ path: String, _ value: String, transaction: XenTransaction) throws(XenError) {
        var bytes = Array(value.utf8)
        let ok = path.withCString { cPath in
            bytes.withUnsafeMutableBytes { xs_write(handle, transaction.rawValue, cPath, $0.baseAddress, UInt32($0.count)) }
        }
        if !ok { throw .storeWriteFailed(path: path, errno: cxen_errno()) }
    }

    public func mkdir(_ path: String, transaction: XenTransaction) throws(XenError) {
        if !path.withCString({ xs_mkdir(handle, transaction.rawValue, $0) }) {
            throw .storeMkdirFailed(path: path, errno: cxen_errno())
        }
    }

    public func remove(_ path: String, transaction: XenTransaction) throws(XenError) {
        if !path.withCString({ xs_rm(handle, transaction.rawValue, $0) }) {
            let code = cxen_errno()
            if code != ENOENT { throw .storeRemoveFailed(path: path, errno: code) }
        }
    }

    public func directory(_ path: String, transaction: XenTransaction) throws(XenError) -> [String] {
        var count: UInt32 = 0
        let list = path.withCString { xs_directory(handle, transaction.rawValue, $0, &count) }
        guard let list else {
            let code = cxen_errno()
            if code == ENOENT { return [] }
            throw .storeDirectoryFailed(path: path, errno: code)
        }
        defer { free(list) }
        var names: [String] = []
        for index in 0..<Int(count) {
            if let name = list[index] { names.append(String(cString: name)) }
        }
        return names
    }

    public func setPermissions(_ path: String, _ permissions: [XenStorePermission], transaction: XenTransaction) throws(XenError) {
        var entries = permissions.map { xs_permissions(id: UInt32($0.domain.rawValue), perms: UInt32($0.access.rawValue)) }
        let ok = path.withCString { cPath in
            entries.withUnsafeMutableBufferPointer {
                xs_set_permissions(handle, transaction.rawValue, cPath, $0.baseAddress, UInt32($0.count))
            }
        }
        if !ok { throw .storePermissionsFailed(path: path, errno: cxen_errno()) }
    }

    public func startTransaction() throws(XenError) -> XenTransaction {
        let number = xs_transaction_start(handle)
        guard number != 0 else { throw .storeTransactionFailed(errno: cxen_errno()) }
        return XenTransaction(rawValue: number)
    }

    public func endTransaction(_ transaction: XenTransaction, commit: Bool) throws(XenError) -> Bool {
        if xs_transaction_end(handle, transaction.rawValue, !commit) { return true }
        let code = cxen_errno()
        if code == EAGAIN { return false }
        throw .storeTransactionFailed(errno: code)
    }

    public func watch(_ path: String, token: String) throws(XenError) {
        let ok = path.withCString { cPath in token.withCString { xs_watch(handle, cPath, $0) } }
        if !ok { throw .storeWatchFailed(path: path, token: token, errno: cxen_errno()) }
    }

    public func unwatch(_ path: String, token: String) throws(XenError) {
        let ok = path.withCString { cPath in token.withCString { xs_unwatch(handle, cPath, $0) } }
        if !ok { throw .storeWatchFailed(path: path, token: token, errno: cxen_errno()) }
    }

    public var watchFD: Int32 { xs_fileno(handle) }

    public func nextWatchEvent() -> XenStoreWatchEvent? {
        guard let vector = xs_check_watch(handle) else { return nil }
        defer { free(vector) }
        guard let path = vector[Int(XS_WATCH_PATH.rawValue)], let token = vector[Int(XS_WATCH_TOKEN.rawValue)] else { return nil }
        return XenStoreWatchEvent(path: String(cString: path), token: String(cString: token))
    }
}
