// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Wire facts of xen/io/kbdif.h: event codes, the shared page layout and the
/// xenstore node names. Checked against the C header by KbdIfTests.
public enum KbdIfWire {
    /// Device type under `backend/` and `device/` (`XENKBD_DRIVER_NAME`).
    public static let deviceType = "vkbd"
    /// Backend folder libxl uses for `vkb = [ '...,backend-type=linux' ]` (a
    /// user-space backend): `backend/vinput/<frontend>/<devid>`; the frontend
    /// side stays `device/vkbd`.
    public static let linuxBackendType = "vinput"

    public static let typeMotion: UInt8 = 1
    public static let typeKey: UInt8 = 3
    public static let typePosition: UInt8 = 4
    public static let typeMultiTouch: UInt8 = 5

    public static let multiTouchDown: UInt8 = 0
    public static let multiTouchUp: UInt8 = 1
    public static let multiTouchMotion: UInt8 = 2
    public static let multiTouchSyn: UInt8 = 3
    public static let multiTouchShape: UInt8 = 4
    public static let multiTouchOrient: UInt8 = 5

    /// Bytes of one event (`XENKBD_IN_EVENT_SIZE`, `XENKBD_OUT_EVENT_SIZE`).
    public static let eventSize = 40
    /// `struct xenkbd_page` field offsets.
    public static let inConsOffset = 0
    public static let inProdOffset = 4
    public static let outConsOffset = 8
    public static let outProdOffset = 12
    /// `XENKBD_IN_RING_OFFS` and `XENKBD_IN_RING_LEN` (2048 / 40 = 51 events).
    public static let inRingOffset = 1024
    public static let inRingLength: UInt32 = 2048 / 40
    /// `XENKBD_OUT_RING_OFFS` and `XENKBD_OUT_RING_LEN` (1024 / 40 = 25 events).
    public static let outRingOffset = 1024 + 2048
    public static let outRingLength: UInt32 = 1024 / 40
    /// Range of raw (unscaled) absolute coordinates (`feature-raw-pointer`).
    public static let rawPointerMax: Int32 = 0x7fff

    public static let featureDisableKeyboard = "feature-disable-keyboard"
    public static let featureDisablePointer = "feature-disable-pointer"
    public static let featureAbsPointer = "feature-abs-pointer"
    public static let featureRawPointer = "feature-raw-pointer"
    public static let featureMultiTouch = "feature-multi-touch"
    public static let requestAbsPointer = "request-abs-pointer"
    public static let requestRawPointer = "request-raw-pointer"
    public static let requestMultiTouch = "request-multi-touch"
    public static let pageGref = "page-gref"
    public static let pageRef = "page-ref"
    public static let eventChannel = "event-channel"
    public static let width = "width"
    public static let height = "height"
    public static let multiTouchWidth = "multi-touch-width"
    public static let multiTouchHeight = "multi-touch-height"
    public static let multiTouchContacts = "multi-touch-num-contacts"
    public static let uniqueID = "unique-id"
}
