// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The platform operations a test can make fail (see `SimulatedFaults`).
package enum SimulatedOperation: Hashable, CaseIterable, Sendable {
    case storeRead, storeWrite, storeMkdir, storeRemove, storeDirectory, storePermissions
    case transactionStart, transactionEnd, watch, unwatch
    case grantMap, grantUnmap, grantShare, grantUnshare
    case eventBind, eventNotify, eventUnbind, eventPending, eventUnmask
}
