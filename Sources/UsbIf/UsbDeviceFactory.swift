// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// Makes a `UsbDevice` for each `qusb` controller (the `XenBackend` owns them)
/// and closes its host devices when it is retired.
public final class UsbDeviceFactory<Platform: XenPlatform, Host: USBHost>: XenDeviceFactory {
    public let host: Host
    public let options: UsbIfOptions
    private let log: XenLog
    private var nextSerial: UInt32 = 1

    public init(host: Host, options: UsbIfOptions, log: XenLog) {
        self.host = host
        self.options = options
        self.log = log
    }

    public var deviceType: String { UsbIfWire.deviceType }

    public func makeDevice(_ link: XenbusLink<Platform>) -> UsbDevice<Platform, Host> {
        let device = UsbDevice(link: link, host: host, options: options, serial: nextSerial, log: log)
        nextSerial &+= 1
        return device
    }

    public func deviceRetired(_ device: UsbDevice<Platform, Host>) {
        device.retire()
    }
}
