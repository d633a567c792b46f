// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// What libxl does in dom0 for a PV device, on a simulated host: creates the
/// frontend and backend directories with their permissions, removes them, and
/// destroys domains.
package final class SimulatedToolstack {
    /// A dom0 xenstore connection (sees everything).
    package let store: SimulatedXenStore

    package init(simulator: XenSimulator) {
        store = SimulatedXenStore(simulator: simulator, domain: .dom0)
    }

    /// Paths of one device.
    package struct DevicePaths: Equatable {
        package let backend: String
        package let frontend: String
    }

    /// Creates device `devid` of `type` for `frontend`, served by `backend`:
    /// the backend directory is owned by the backend and readable by the
    /// frontend, the frontend directory the other way round; both start Initialising.
    @discardableResult
    package func createDevice(type: String, backend: DomainID, frontend: DomainID, devid: UInt32) throws(XenError) -> DevicePaths {
        let paths = Self.paths(type: type, backend: backend, frontend: frontend, devid: devid)
        let backendTypeRoot = XenPath.backendRoot(backend: backend, type: type)
        if try store.read(backendTypeRoot) == nil {
            try store.mkdir(backendTypeRoot)
            try store.setPermissions(backendTypeRoot, [XenStorePermission(domain: backend, access: .none)])
        }
        let frontendOwned = [XenStorePermission(domain: frontend, access: .none), XenStorePermission(domain: backend, access: .read)]
        let backendOwned = [XenStorePermission(domain: backend, access: .none), XenStorePermission(domain: frontend, access: .read)]
        let committed = try store.inTransaction { (t: XenTransaction) throws(XenError) in
            try store.mkdir(paths.frontend, transaction: t)
            try store.setPermissions(paths.frontend, frontendOwned, transaction: t)
            try store.write(XenPath.join(paths.frontend, "backend"), paths.backend, transaction: t)
            try store.write(XenPath.join(paths.frontend, "backend-id"), backend.description, transaction: t)
            try store.write(XenPath.join(paths.frontend, "state"), XenbusState.initialising.nodeValue, transaction: t)
            try store.mkdir(paths.backend, transaction: t)
            try store.setPermissions(paths.backend, backendOwned, transaction: t)
            try store.write(XenPath.join(paths.backend, "frontend"), paths.frontend, transaction: t)
            try store.write(XenPath.join(paths.backend, "frontend-id"), frontend.description, transaction: t)
            try store.write(XenPath.join(paths.backend, "online"), "1", transaction: t)
            try store.write(XenPath.join(paths.backend, "state"), XenbusState.initialising.nodeValue, transaction: t)
        }
        if !committed { throw .storeTransactionFailed(errno: 11) }
        return paths
    }

    /// The paths libxl uses for a device.
    package static func paths(type: String, backend: DomainID, frontend: DomainID, devid: UInt32) -> DevicePaths {
        DevicePaths(
            backend: XenPath.join(XenPath.join(XenPath.backendRoot(backend: backend, type: type), frontend.description),
                                  String(devid)),
            frontend: XenPath.domain(frontend) + "/device/" + type + "/" + String(devid))
    }

    /// Detaches a device: removes the backend directory (the backend retires it).
    package func removeBackendDevice(_ paths: DevicePaths) throws(XenError) { try store.remove(paths.backend) }

    /// Writes a domain's `name` as libxl does at domain creation (owned by
    /// dom0: the guest cannot change it). Bindings in the image name guests.
    package func nameDomain(_ domain: DomainID, _ name: String) throws(XenError) {
        let path = XenPath.join(XenPath.domain(domain), "name")
        try store.write(path, name)
        try store.setPermissions(path, [XenStorePermission(domain: .dom0, access: .read)])
    }

    /// The name a scenario gives `domain` when a test does not name it.
    package static func defaultName(_ domain: DomainID) -> String { "guest" + domain.description }

    /// The domain's name, naming it `defaultName` first if it has none.
    package func ensureNamed(_ domain: DomainID) throws(XenError) -> String {
        if let name = read(XenPath.join(XenPath.domain(domain), "name")) { return name }
        let name = Self.defaultName(domain)
        try nameDomain(domain, name)
        return name
    }

    /// Destroys a domain's xenstore presence (`/local/domain/<id>`).
    package func destroyDomain(_ domain: DomainID) throws(XenError) { try store.remove(XenPath.domain(domain)) }

    /// Reads any node.
    package func read(_ path: String) -> String? { try? store.read(path) }
}
