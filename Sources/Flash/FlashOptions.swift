// SPDX-License-Identifier: Apache-2.0

/// Options of `flash`.
package struct FlashOptions: Sendable, Equatable {
    /// Allow a block device that is not removable (never a mounted one or
    /// the one holding `/`).
    package var force: Bool
    /// Hash every mapped range of the image against the bmap before writing
    /// anything, so a corrupt image is refused with nothing written.
    package var verifyImageFirst: Bool
    /// Read every written range back from the target (page cache dropped)
    /// and compare its SHA256 with the bmap.
    package var verifyTarget: Bool
    /// On a block device larger than the image, move the GPT's backup
    /// header and entries to the device's end (as `sgdisk -e` does) so the
    /// partition table is valid for the whole device. Files are never changed.
    package var relocateBackupGPT: Bool
    /// Bytes per read/write call.
    package var chunkSize: Int

    package init(force: Bool = false, verifyImageFirst: Bool = true, verifyTarget: Bool = true,
                relocateBackupGPT: Bool = true, chunkSize: Int = 4 << 20) {
        self.force = force
        self.verifyImageFirst = verifyImageFirst
        self.verifyTarget = verifyTarget
        self.relocateBackupGPT = relocateBackupGPT
        self.chunkSize = chunkSize
    }
}

/// Progress of a flash, reported after every chunk.
package struct FlashProgress: Sendable, Equatable {
    package enum Phase: String, Sendable {
        /// Hashing the image against the bmap before writing.
        case checkingImage = "checking image"
        case writing
        /// Reading the target back.
        case verifying
    }

    package var phase: Phase
    package var bytesDone: UInt64
    package var bytesTotal: UInt64
    package var secondsElapsed: Double

    /// Throughput of this phase so far in MB/s (10^6 bytes per second).
    package var megabytesPerSecond: Double {
        secondsElapsed > 0 ? Double(bytesDone) / secondsElapsed / 1_000_000 : 0
    }
}

/// What a finished flash did.
package struct FlashReport: Sendable, Equatable {
    package var target: CheckedTarget
    package var imageSize: UInt64
    package var bytesWritten: UInt64
    package var rangesWritten: Int
    package var writeSeconds: Double
    package var verifySeconds: Double
    /// True if the GPT backup was moved to the end of a larger device.
    package var relocatedBackupGPT: Bool
}
