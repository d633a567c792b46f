// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// One guest endpoint the image config lets a guest use, and the DomD
/// endpoint serving it: a vsnd stream and its ALSA PCM, a vdispl connector
/// and its DRM connector.
public struct GuestBinding: Equatable, Sendable {
    /// The guest's domain name (`/local/domain/<id>/name`, written by the
    /// toolstack; the guest cannot change it).
    public var guest: String
    /// The endpoint's `unique-id` as the guest's xl stanza names it.
    public var id: String
    /// The direction, where the protocol has one (sndif `p`/`c`); empty otherwise.
    public var direction: String
    /// The DomD endpoint (ALSA PCM name, DRM connector name).
    public var target: String

    public init(guest: String, id: String, direction: String = "", target: String) {
        self.guest = guest
        self.id = id
        self.direction = direction
        self.target = target
    }
}

/// The bindings a backend serves, keyed by who may use them: an endpoint is
/// served only if (guest, id, direction) is bound here. The frontend-writable
/// `unique-id` alone never selects a device, so a guest cannot claim another
/// guest's stream or connector, nor add a capture stream nobody bound.
public struct GuestBindings: Equatable, Sendable {
    public private(set) var entries: [GuestBinding] = []

    public init(_ entries: [GuestBinding] = []) {
        for entry in entries { _ = add(entry) }
    }

    /// Adds a binding; false if (guest, id, direction) is bound already.
    @discardableResult
    public mutating func add(_ binding: GuestBinding) -> Bool {
        guard target(guest: binding.guest, id: binding.id, direction: binding.direction) == nil else { return false }
        entries.append(binding)
        return true
    }

    /// The DomD endpoint bound to this guest's endpoint, if any.
    public func target(guest: String, id: String, direction: String = "") -> String? {
        // Byte-wise: a guest's unique-id matches only the exact bytes bound (no Unicode equivalence).
        for entry in entries where entry.guest.bytesEqual(guest) && entry.id.bytesEqual(id) && entry.direction.bytesEqual(direction) {
            return entry.target
        }
        return nil
    }

    /// Every distinct target, in binding order.
    public var targets: [String] {
        var result: [String] = []
        for entry in entries where !result.containsBytes(entry.target) { result.append(entry.target) }
        return result
    }

    public var isEmpty: Bool { entries.isEmpty }
}

/// The bindings of one backend process, shared by its devices (a device reads
/// them at connect; a test scenario may add bindings while running).
public final class BindingTable {
    public var bindings: GuestBindings
    public init(_ bindings: GuestBindings = GuestBindings()) { self.bindings = bindings }
}
