// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Wire facts of xen/io/sndif.h: operation and event codes, byte offsets of the
/// 64-octet request, response and event packets, the event page layout and the
/// xenstore node names. Checked against the C header by SndIfTests.
public enum SndIfWire {
    /// Device type under `backend/` and `device/` (`XENSND_DRIVER_NAME`).
    public static let deviceType = "vsnd"
    /// `XENSND_PROTOCOL_VERSION`, published in the backend's `versions` node.
    public static let protocolVersion = "2"

    public static let opOpen: UInt8 = 0
    public static let opClose: UInt8 = 1
    public static let opRead: UInt8 = 2
    public static let opWrite: UInt8 = 3
    public static let opSetVolume: UInt8 = 4
    public static let opGetVolume: UInt8 = 5
    public static let opMute: UInt8 = 6
    public static let opUnmute: UInt8 = 7
    public static let opTrigger: UInt8 = 8
    public static let opHwParamQuery: UInt8 = 9

    public static let triggerStart: UInt8 = 0
    public static let triggerPause: UInt8 = 1
    public static let triggerStop: UInt8 = 2
    public static let triggerResume: UInt8 = 3

    /// `XENSND_EVT_CUR_POS`.
    public static let eventCurrentPosition: UInt8 = 0

    /// Every request, response and event is 64 octets.
    public static let packetSize = 64
    /// Common header: `id` (u16) at 0, `operation`/`type` (u8) at 2; response `status` (i32) at 4.
    public static let idOffset = 0
    public static let operationOffset = 2
    public static let statusOffset = 4
    /// Operation-specific fields start at 8 (`op`/`resp` union).
    public static let bodyOffset = 8
    /// `xensnd_open_req` fields, from the start of the packet.
    public static let openRateOffset = 8
    public static let openFormatOffset = 12
    public static let openChannelsOffset = 13
    public static let openBufferSizeOffset = 16
    public static let openDirectoryOffset = 20
    public static let openPeriodSizeOffset = 24
    /// `xensnd_rw_req` fields.
    public static let rwOffsetOffset = 8
    public static let rwLengthOffset = 12
    /// `xensnd_trigger_req.type`.
    public static let triggerTypeOffset = 8
    /// `xensnd_query_hw_param`: formats (u64) then min/max pairs of rates,
    /// channels, buffer frames, period frames.
    public static let hwFormatsOffset = 8
    public static let hwRatesOffset = 16
    public static let hwChannelsOffset = 24
    public static let hwBufferOffset = 32
    public static let hwPeriodOffset = 40
    /// `xensnd_cur_pos_evt.position` (u64, octets).
    public static let eventPositionOffset = 8

    /// `struct xensnd_event_page`: `in_cons`, `in_prod`, then the event ring at
    /// `XENSND_IN_RING_OFFS` holding `XENSND_IN_RING_LEN` events.
    public static let eventInConsOffset = 0
    public static let eventInProdOffset = 4
    public static let eventRingOffset = 64
    public static let eventRingLength: UInt32 = UInt32((4096 - 64) / 64)

    /// Largest buffer a frontend may share per stream when the toolstack wrote
    /// no `buffer-size` (Linux's snd_xen_front uses 64 KiB; allow 8 MiB).
    public static let defaultBufferLimit = 8 * 1024 * 1024

    public static let fieldVersions = "versions"
    public static let fieldType = "type"
    public static let fieldUniqueID = "unique-id"
    public static let fieldRingRef = "ring-ref"
    public static let fieldEventChannel = "event-channel"
    public static let fieldEventRingRef = "evt-ring-ref"
    public static let fieldEventEventChannel = "evt-event-channel"
    public static let fieldChannelsMin = "channels-min"
    public static let fieldChannelsMax = "channels-max"
    public static let fieldSampleRates = "sample-rates"
    public static let fieldSampleFormats = "sample-formats"
    public static let fieldBufferSize = "buffer-size"
    public static let streamTypePlayback = "p"
    public static let streamTypeCapture = "c"
}
