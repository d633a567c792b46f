// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation
import ImageFormats

/// Writes a disk image to a device or file using its bmap: the bmap's own
/// checksum first, then the image size and (optionally) every range's
/// SHA256, then the target's safety (`TargetSafety`), then only the mapped
/// ranges are written, then read back and compared.
public func flash(image: String, bmap: String, device: String, options: FlashOptions = FlashOptions(),
                  progress: (FlashProgress) -> Void = { _ in }) throws(FlashError) -> FlashReport {
    try flash(image: image, bmap: bmap, device: device, options: options,
              probe: SystemBlockDeviceProbe(), progress: progress)
}

/// `flash` with an explicit `BlockDeviceProbe` (tests use a scripted one).
public func flash<Probe: BlockDeviceProbe>(image: String, bmap bmapPath: String, device: String, options: FlashOptions,
                                           probe: Probe, progress: (FlashProgress) -> Void) throws(FlashError) -> FlashReport {
    guard let bmapData = FileManager.default.contents(atPath: bmapPath) else {
        throw .readBmapFailed(path: bmapPath, errno: access(bmapPath, R_OK) == 0 ? EIO : errno)
    }
    let map: Bmap
    do throws(ImageFormatsError) {
        map = try Bmap.parse(String(decoding: bmapData, as: UTF8.self))
    } catch let .bmapFileChecksumMismatch(stored, computed) {
        throw .bmapFileChecksumMismatch(path: bmapPath, stored: stored, computed: computed)
    } catch {
        throw .bmapRejected(path: bmapPath, reason: error.description)
    }
    let source: PositionalFile
    do throws(ImageFormatsError) { source = try PositionalFile(path: image, flags: O_RDONLY) } catch {
        throw .openImageFailed(path: image, errno: error.errnoValue)
    }
    let imageSize = (try? source.size()) ?? 0
    if imageSize < map.imageSize { throw .imageTruncated(path: image, size: imageSize, expected: map.imageSize) }
    if imageSize > map.imageSize { throw .imageSizeMismatch(path: image, size: imageSize, expected: map.imageSize) }

    let copier = RangeCopier(map: map, imagePath: image, source: source, chunkSize: options.chunkSize)
    if options.verifyImageFirst {
        try copier.checkImage(progress: progress)
    }
    let target = try TargetSafety.check(path: device, imageSize: map.imageSize, force: options.force, probe: probe)
    let destination = try openTarget(target, imageSize: map.imageSize)
    let writeStart = Date()
    let written = try copier.write(to: destination, hashing: !options.verifyImageFirst, progress: progress)
    let writeSeconds = Date().timeIntervalSince(writeStart)
    var verifySeconds = 0.0
    if options.verifyTarget {
        let verifyStart = Date()
        try copier.verify(destination, progress: progress)
        verifySeconds = Date().timeIntervalSince(verifyStart)
    }
    return FlashReport(target: target, imageSize: map.imageSize, bytesWritten: written, rangesWritten: map.ranges.count,
                       writeSeconds: writeSeconds, verifySeconds: verifySeconds)
}

/// Opens the target for writing: a block device exclusively (`O_EXCL`
/// fails if anything holds it), a file truncated and resized to the image
/// (a fresh sparse file).
private func openTarget(_ target: CheckedTarget, imageSize: UInt64) throws(FlashError) -> PositionalFile {
    switch target.kind {
    case .blockDevice:
        let file: PositionalFile
        do throws(ImageFormatsError) { file = try PositionalFile(path: target.path, flags: O_RDWR | O_EXCL) } catch {
            throw .openTargetFailed(path: target.path, errno: error.errnoValue)
        }
        let size = (try? file.size()) ?? 0
        guard size >= imageSize else { throw .targetTooSmall(path: target.path, size: size, required: imageSize) }
        return file
    default:
        do throws(ImageFormatsError) {
            let file = try PositionalFile(path: target.path, flags: O_RDWR | O_CREAT | O_TRUNC)
            try file.truncate(to: imageSize)
            return file
        } catch {
            throw .openTargetFailed(path: target.path, errno: error.errnoValue)
        }
    }
}

extension ImageFormatsError {
    /// The errno a file error carries (EIO for the others).
    var errnoValue: Int32 {
        switch self {
        case let .fileReadFailed(_, code), let .fileWriteFailed(_, code): return code
        default: return EIO
        }
    }
}
