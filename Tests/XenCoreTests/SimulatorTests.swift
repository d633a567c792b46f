// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
import XenCore
import XenSimulator

@Suite struct SimulatorTests {
    let simulator = XenSimulator()

    @Test func storePermissionsFollowXenstored() throws {
        let toolstack = SimulatedToolstack(simulator: simulator)
        let paths = try toolstack.createDevice(type: "vkbd", backend: DomainID(1), frontend: DomainID(2), devid: 0)
        let backend = simulator.platform(for: DomainID(1)).store
        let frontend = simulator.platform(for: DomainID(2)).store
        let stranger = simulator.platform(for: DomainID(3)).store
        #expect(try backend.read(XenPath.join(paths.frontend, "state")) == "1")
        #expect(try frontend.read(XenPath.join(paths.backend, "state")) == "1")
        try backend.write(XenPath.join(paths.backend, "feature-x"), "1")
        #expect(simulator.permissions(of: XenPath.join(paths.backend, "feature-x"))?.first?.domain == DomainID(1))
        #expect(throws: XenError.storeWriteFailed(path: XenPath.join(paths.backend, "state"), errno: 13)) {
            try frontend.write(XenPath.join(paths.backend, "state"), "4")
        }
        #expect(throws: XenError.storeReadFailed(path: XenPath.join(paths.frontend, "state"), errno: 13)) {
            _ = try stranger.read(XenPath.join(paths.frontend, "state"))
        }
        #expect(try backend.read("/nowhere") == nil)
        #expect(try backend.directory("/nowhere").isEmpty)
    }

    @Test func watchesFireOnRegistrationChangesAndRemoval() throws {
        let store = simulator.platform(for: .dom0).store
        try store.watch("/a/b", token: "t")
        #expect(store.nextWatchEvent() == XenStoreWatchEvent(path: "/a/b", token: "t"))
        #expect(store.nextWatchEvent() == nil)
        try store.write("/a/b/c", "1")
        #expect(store.nextWatchEvent() == XenStoreWatchEvent(path: "/a/b/c", token: "t"))
        try store.write("/a/x", "1")
        #expect(store.nextWatchEvent() == nil, "a sibling does not fire")
        try store.remove("/a")
        #expect(store.nextWatchEvent() == XenStoreWatchEvent(path: "/a/b", token: "t"))
        try store.unwatch("/a/b", token: "t")
        try store.write("/a/b", "2")
        #expect(store.nextWatchEvent() == nil)
    }

    @Test func transactionsCommitAndConflict() throws {
        let one = simulator.platform(for: .dom0).store
        let two = simulator.platform(for: .dom0).store
        let t = try one.startTransaction()
        try one.write("/x", "1", transaction: t)
        #expect(try two.read("/x") == nil, "not visible before commit")
        #expect(try one.endTransaction(t, commit: true))
        #expect(try two.read("/x") == "1")
        let t2 = try one.startTransaction()
        try one.write("/x", "2", transaction: t2)
        try two.write("/y", "1")
        #expect(try one.endTransaction(t2, commit: true) == false, "EAGAIN after a concurrent write")
        #expect(try two.read("/x") == "1")
        var attempts = 0
        let committed = try one.inTransaction { (t: XenTransaction) throws(XenError) in
            attempts += 1
            try one.write("/x", "3", transaction: t)
            if attempts == 1 { try two.write("/z", "1") }
        }
        #expect(committed && attempts == 2)
        #expect(try two.read("/x") == "3")
    }

    @Test func grantsCheckGranteeAndAccess() throws {
        let page = simulator.allocatePage(owner: DomainID(2))
        let ref = simulator.grantAccess(owner: DomainID(2), page: page, to: DomainID(1), readOnly: true)
        let backend = simulator.platform(for: DomainID(1))
        let other = simulator.platform(for: DomainID(3))
        #expect(throws: XenError.grantMapFailed(domain: DomainID(2), ref: ref, errno: 1)) {
            _ = try backend.grants.map(domain: DomainID(2), ref: ref, writable: true)
        }
        #expect(throws: XenError.grantMapFailed(domain: DomainID(2), ref: ref, errno: 22)) {
            _ = try other.grants.map(domain: DomainID(2), ref: ref, writable: false)
        }
        #expect(throws: XenError.grantMapFailed(domain: DomainID(2), ref: GrantRef(999), errno: 22)) {
            _ = try backend.grants.map(domain: DomainID(2), ref: GrantRef(999), writable: false)
        }
        page.storeBytes(of: 0xABCD as UInt32, as: UInt32.self)
        let mapping = try backend.grants.map(domain: DomainID(2), ref: ref, writable: false)
        #expect(mapping.address != page, "a second mapping of the same page")
        #expect(mapping.address.load(as: UInt32.self) == 0xABCD)
        page.storeBytes(of: 0x1234 as UInt32, as: UInt32.self)
        #expect(mapping.address.load(as: UInt32.self) == 0x1234, "shared, not copied")
        #expect(!simulator.revokeAccess(owner: DomainID(2), ref: ref), "cannot end a grant while mapped")
        #expect(simulator.leakReport().count == 1)
        try backend.grants.unmap(mapping)
        #expect(simulator.leakReport().isEmpty)
        #expect(throws: XenError.grantUnmapFailed(domain: DomainID(2), ref: ref, errno: 22)) {
            try backend.grants.unmap(mapping)
        }
        simulator.freePage(page)
    }

    @Test func batchMappingsAreContiguous() throws {
        var refs: [GrantRef] = []
        var pages: [UnsafeMutableRawPointer] = []
        for index in 0..<4 {
            let page = simulator.allocatePage(owner: DomainID(2))
            page.storeBytes(of: UInt32(index + 100), as: UInt32.self)
            pages.append(page)
            refs.append(simulator.grantAccess(owner: DomainID(2), page: page, to: DomainID(1), readOnly: false))
        }
        let backend = simulator.platform(for: DomainID(1))
        let mapping = try backend.grants.map(domain: DomainID(2), refs: refs, writable: true)
        for index in 0..<4 {
            #expect(mapping.address.load(fromByteOffset: index * XenPage.size, as: UInt32.self) == UInt32(index + 100))
        }
        try backend.grants.unmap(mapping)
        for page in pages { simulator.freePage(page) }
        #expect(simulator.leakReport().isEmpty)
    }

    @Test(arguments: [SimulatedOperation.storeRead, .storeWrite, .grantMap, .eventBind, .eventNotify])
    func faultsAreInjectedOncePerRequest(operation: SimulatedOperation) throws {
        let backend = simulator.platform(for: DomainID(1))
        let frontend = simulator.platform(for: DomainID(2))
        let page = simulator.allocatePage(owner: DomainID(2))
        let ref = simulator.grantAccess(owner: DomainID(2), page: page, to: DomainID(1), readOnly: false)
        let remote = try frontend.events.allocateUnbound(remote: DomainID(1))
        let control = simulator.platform(for: .dom0)
        simulator.faults.failNext(operation, errno: 5)
        func attempt() throws(XenError) {
            switch operation {
            case .storeRead: _ = try control.store.read("/x")
            case .storeWrite: try control.store.write("/x", "1")
            case .grantMap: try backend.grants.unmap(try backend.grants.map(domain: DomainID(2), ref: ref, writable: true))
            case .eventBind: try backend.events.unbind(try backend.events.bindInterdomain(domain: DomainID(2), remotePort: remote))
            default: try frontend.events.notify(remote)
            }
        }
        #expect(throws: XenError.self) { try attempt() }
        try attempt()
        #expect(simulator.faults.delivered == 1)
        simulator.freePage(page)
    }

    @Test func eventChannelsMaskLatchAndPoll() throws {
        let backend = simulator.platform(for: DomainID(1))
        let frontend = simulator.platform(for: DomainID(2))
        let remote = try frontend.events.allocateUnbound(remote: DomainID(1))
        let local = try backend.events.bindInterdomain(domain: DomainID(2), remotePort: remote)
        #expect(throws: XenError.self) { _ = try backend.events.bindInterdomain(domain: DomainID(2), remotePort: remote) }
        let loop = PollLoop()
        final class Counter: PollSource {
            let events: SimulatedEventChannels
            var fired: [Port] = []
            var unmask = true
            init(_ events: SimulatedEventChannels) { self.events = events }
            func appendPollDescriptors(to descriptors: inout [Int32]) { descriptors.append(events.fd) }
            func handleReady(_ fd: Int32) {
                while let port = try? events.pending() {
                    fired.append(port)
                    if unmask { try? events.unmask(port) }
                }
            }
        }
        let counter = Counter(backend.events)
        loop.add(counter)
        try loop.runUntilIdle()
        #expect(counter.fired.isEmpty)
        counter.unmask = false
        try frontend.events.notify(remote)
        try frontend.events.notify(remote)
        try frontend.events.notify(remote)
        try loop.runUntilIdle()
        #expect(counter.fired == [local], "delivered once; further notifications latch while masked")
        try backend.events.unmask(local)
        try loop.runUntilIdle()
        #expect(counter.fired == [local, local], "unmask delivers the latched notifications as one")
        try backend.events.unmask(local)
        try loop.runUntilIdle()
        #expect(counter.fired == [local, local], "nothing latched any more")
        try backend.events.unbind(local)
        try frontend.events.notify(remote)
        try loop.runUntilIdle()
        #expect(counter.fired.count == 2, "an unbound port receives nothing")
    }

    @Test func pageDirectoryDescribesLargeBuffers() throws {
        let toolstack = SimulatedToolstack(simulator: simulator)
        let paths = try toolstack.createDevice(type: "vsnd", backend: DomainID(1), frontend: DomainID(2), devid: 0)
        let bus = try SimulatedFrontendBus(simulator: simulator, domain: DomainID(2), frontendPath: paths.frontend)
        let backend = simulator.platform(for: DomainID(1))
        let bufferPages = PageDirectory.refsPerPage + 5
        let byteCount = bufferPages * XenPage.size - 100
        let shared = SimulatedPageDirectory(bus: bus, byteCount: byteCount)
        #expect(shared.directoryPages.count == 2)
        for (index, page) in shared.pages.enumerated() { page.storeBytes(of: UInt32(index), as: UInt32.self) }
        let mapping = try PageDirectory.mapBuffer(grants: backend.grants, domain: bus.domain, firstDirectoryRef: shared.directoryRef,
                                                  byteCount: byteCount, limit: 8 << 20, writable: true)
        #expect(mapping.refs == shared.refs)
        for index in [0, PageDirectory.refsPerPage, bufferPages - 1] {
            #expect(mapping.address.load(fromByteOffset: index * XenPage.size, as: UInt32.self) == UInt32(index))
        }
        try backend.grants.unmap(mapping)
        #expect(throws: XenError.bufferTooLarge(size: byteCount, limit: 4096)) {
            _ = try PageDirectory.readRefs(grants: backend.grants, domain: bus.domain, firstDirectoryRef: shared.directoryRef,
                                           byteCount: byteCount, limit: 4096)
        }
        let first = shared.directoryPages[0]
        first.storeBytes(of: 0, as: UInt32.self)  // the chain ends too early
        #expect(throws: XenError.pageDirectoryTooShort(needed: bufferPages, found: PageDirectory.refsPerPage)) {
            _ = try PageDirectory.readRefs(grants: backend.grants, domain: bus.domain, firstDirectoryRef: shared.directoryRef,
                                           byteCount: byteCount, limit: 8 << 20)
        }
        first.storeBytes(of: shared.directoryRef.rawValue, as: UInt32.self)  // a loop: read only as far as needed
        let looped = try PageDirectory.readRefs(grants: backend.grants, domain: bus.domain, firstDirectoryRef: shared.directoryRef,
                                                byteCount: byteCount, limit: 8 << 20)
        #expect(looped.count == bufferPages)
        first.storeBytes(of: 12345, as: UInt32.self)  // a bogus next page
        #expect(throws: XenError.grantMapFailed(domain: bus.domain, ref: GrantRef(12345), errno: 22)) {
            _ = try PageDirectory.readRefs(grants: backend.grants, domain: bus.domain, firstDirectoryRef: shared.directoryRef,
                                           byteCount: byteCount, limit: 8 << 20)
        }
        #expect(simulator.leakReport().isEmpty)
    }
}
