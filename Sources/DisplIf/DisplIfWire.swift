// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Wire facts of xen/io/displif.h: operation and event codes, byte offsets of
/// the 64-octet request, response and event packets, the event page layout and
/// the xenstore node names. Checked against the C header by DisplIfTests.
public enum DisplIfWire {
    /// Device type under `backend/` and `device/` (`XENDISPL_DRIVER_NAME`).
    public static let deviceType = "vdispl"
    /// Versions this backend speaks (`versions` node): 2 adds GET_EDID.
    public static let protocolVersions = "1,2"

    public static let opDbufCreate: UInt8 = 0x10
    public static let opDbufDestroy: UInt8 = 0x11
    public static let opFbAttach: UInt8 = 0x12
    public static let opFbDetach: UInt8 = 0x13
    public static let opSetConfig: UInt8 = 0x14
    public static let opPageFlip: UInt8 = 0x15
    public static let opGetEdid: UInt8 = 0x16
    /// `XENDISPL_EVT_PG_FLIP`.
    public static let eventPageFlip: UInt8 = 0x00
    /// `XENDISPL_DBUF_FLG_REQ_ALLOC`: the backend is asked to allocate the buffer.
    public static let flagRequestAlloc: UInt32 = 1

    /// Every request, response and event is 64 octets.
    public static let packetSize = 64
    public static let idOffset = 0
    public static let operationOffset = 2
    public static let statusOffset = 4
    /// Operation-specific fields start at 8 (`op` union).
    public static let bodyOffset = 8
    /// `xendispl_dbuf_create_req`.
    public static let dbufCookieOffset = 8
    public static let dbufWidthOffset = 16
    public static let dbufHeightOffset = 20
    public static let dbufBppOffset = 24
    public static let dbufBufferSizeOffset = 28
    public static let dbufFlagsOffset = 32
    public static let dbufDirectoryOffset = 36
    public static let dbufDataOffsetOffset = 40
    /// `xendispl_fb_attach_req`.
    public static let attachDbufCookieOffset = 8
    public static let attachFbCookieOffset = 16
    public static let attachWidthOffset = 24
    public static let attachHeightOffset = 28
    public static let attachFormatOffset = 32
    /// `xendispl_set_config_req`.
    public static let configFbCookieOffset = 8
    public static let configXOffset = 16
    public static let configYOffset = 20
    public static let configWidthOffset = 24
    public static let configHeightOffset = 28
    public static let configBppOffset = 32
    /// `fb_cookie` of DBUF_DESTROY (dbuf), FB_DETACH and PG_FLIP, and of the PG_FLIP event.
    public static let cookieOffset = 8
    /// `xendispl_get_edid_req`.
    public static let edidBufferSizeOffset = 8
    public static let edidDirectoryOffset = 12
    /// `xendispl_get_edid_resp.edid_sz`.
    public static let edidSizeOffset = 8

    /// `struct xendispl_event_page`: `in_cons`, `in_prod`, then events from
    /// `XENDISPL_IN_RING_OFFS`, `XENDISPL_IN_RING_LEN` of them.
    public static let eventInConsOffset = 0
    public static let eventInProdOffset = 4
    public static let eventRingOffset = 64
    public static let eventRingLength: UInt32 = UInt32((4096 - 64) / 64)

    /// `XENDISPL_EDID_BLOCK_SIZE` and `XENDISPL_EDID_MAX_SIZE`.
    public static let edidBlockSize = 128
    public static let edidMaxSize = 128 * 256

    public static let fieldVersions = "versions"
    public static let fieldVersion = "version"
    public static let fieldRequestRingRef = "req-ring-ref"
    public static let fieldRequestChannel = "req-event-channel"
    public static let fieldEventRingRef = "evt-ring-ref"
    public static let fieldEventChannel = "evt-event-channel"
    public static let fieldResolution = "resolution"
    public static let fieldBackendAlloc = "be-alloc"
    public static let fieldUniqueID = "unique-id"
}
