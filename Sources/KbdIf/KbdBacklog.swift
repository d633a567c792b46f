// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// A bounded FIFO of events waiting for ring space. When full, new events are
/// refused and counted; the owner logs the overflow (no silent loss).
public struct KbdBacklog {
    private var storage: [KbdEvent] = []
    private var head = 0
    public let capacity: Int
    /// Events refused because the backlog was full, since creation.
    public private(set) var overflowCount = 0

    public init(capacity: Int) { self.capacity = max(capacity, 1) }

    public var count: Int { storage.count - head }
    public var isEmpty: Bool { count == 0 }

    /// Queues an event; false (and counted) if the backlog is full.
    public mutating func append(_ event: KbdEvent) -> Bool {
        guard count < capacity else {
            overflowCount += 1
            return false
        }
        storage.append(event)
        return true
    }

    /// The oldest event.
    public var first: KbdEvent? { head < storage.count ? storage[head] : nil }

    /// Drops the oldest event.
    public mutating func removeFirst() {
        guard head < storage.count else { return }
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 256, head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
    }

    /// Drops everything (frontend disconnected).
    public mutating func removeAll() {
        storage.removeAll()
        head = 0
    }
}
