// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Wire facts of xen/io/usbif.h: xenstore node names, the layout of the URB
/// request (148 octets) and response (16 octets), the conn-ring request (2)
/// and response (4), statuses and speeds. Checked against the C header by UsbIfTests.
public enum UsbIfWire {
    /// Backend type under `backend/` for a user-space backend (`qusb`, libxl
    /// LIBXL__DEVICE_KIND_QUSB); the frontend's directory is `device/vusb`.
    public static let deviceType = "qusb"
    public static let frontendDeviceType = "vusb"

    public static let fieldNumPorts = "num-ports"
    public static let fieldUsbVersion = "usb-ver"
    public static let fieldPort = "port"
    public static let fieldUrbRingRef = "urb-ring-ref"
    public static let fieldConnRingRef = "conn-ring-ref"
    public static let fieldEventChannel = "event-channel"

    /// `USBIF_MAX_PORTNR`.
    public static let maxPorts = 31
    /// `USBIF_MAX_SEGMENTS_PER_REQUEST`.
    public static let maxSegments = 16
    /// `USB_VER_USB11`, `USB_VER_USB20`.
    public static let usbVersion11: UInt32 = 1
    public static let usbVersion20: UInt32 = 2

    /// `sizeof(struct usbif_urb_request)` and its union slot alignment.
    public static let requestSize = 148
    public static let requestAlignment = 4
    public static let responseSize = 16
    /// `sizeof(struct usbif_request_segment)`.
    public static let segmentSize = 8
    /// `sizeof(struct usbif_conn_request)`, `sizeof(struct usbif_conn_response)`, alignment 2.
    public static let connRequestSize = 2
    public static let connResponseSize = 4
    public static let connAlignment = 2

    // struct usbif_urb_request
    public static let requestIDOffset = 0
    public static let requestSegmentCountOffset = 2
    public static let requestPipeOffset = 4
    public static let requestFlagsOffset = 8
    public static let requestBufferLengthOffset = 10
    /// `u` (8 octets): `ctrl[8]`, or `isoc`/`intr`/`unlink` fields.
    public static let requestSpecificOffset = 12
    public static let isoIntervalOffset = 12
    public static let isoStartFrameOffset = 14
    public static let isoPacketCountOffset = 16
    public static let isoDescriptorSegmentsOffset = 18
    public static let unlinkIDOffset = 12
    public static let requestSegmentsOffset = 20

    // struct usbif_urb_response
    public static let responseIDOffset = 0
    public static let responseStartFrameOffset = 2
    public static let responseStatusOffset = 4
    public static let responseActualLengthOffset = 8
    public static let responseErrorCountOffset = 12

    // struct usbif_conn_response
    public static let connIDOffset = 0
    public static let connPortOffset = 2
    public static let connSpeedOffset = 3

    /// `USBIF_SHORT_NOT_OK` in `transfer_flags`.
    public static let shortNotOK: UInt16 = 0x0001

    /// One `struct usb_iso_packet_descriptor` as Linux's xen-hcd shares it in
    /// the frame-descriptor segments: offset, length, actual_length, status (each 32 bits).
    public static let isoDescriptorSize = 16

    /// Standard control requests the backend handles itself (USB 2.0 §9.4).
    public static let requestSetAddress: UInt8 = 5
    public static let requestGetDescriptor: UInt8 = 6
}
