// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// Makes a `DisplDevice` for each vdispl frontend (the `XenBackend` owns them).
public final class DisplDeviceFactory<Platform: XenPlatform, Sink: DisplaySink>: XenDeviceFactory {
    public let sink: Sink
    public let options: DisplIfOptions
    /// The bindings every device reads at connect (from `options.bindings`).
    public let table: BindingTable
    private let log: XenLog
    private let tickets = FlipTicketCounter()
    /// Backend-allocated bytes per guest, over all devices.
    public let allocations = GuestAllocations()

    public init(sink: Sink, options: DisplIfOptions, log: XenLog) {
        self.sink = sink
        self.options = options
        self.table = BindingTable(options.bindings)
        self.log = log
    }

    public var deviceType: String { DisplIfWire.deviceType }

    public func makeDevice(_ link: XenbusLink<Platform>) -> DisplDevice<Platform, Sink> {
        DisplDevice(link: link, sink: sink, options: options, table: table, tickets: tickets, log: log,
                    allocations: allocations)
    }
}
