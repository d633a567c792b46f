// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation
import ImageFormats

/// Writes a disk image to a device or file using its bmap: the bmap's own
/// checksum first, then the image size and (optionally) every range's
/// SHA256, then the target's safety (`TargetSafety`), then only the mapped
/// ranges are written, then read back and compared.
package func flash(image: String, bmap: String, device: String, options: FlashOptions = FlashOptions(),
                  progress: (FlashProgress) -> Void = { _ in }) throws(FlashError) -> FlashReport {
    try flash(image: image, bmap: bmap, device: device, options: options,
              probe: SystemBlockDeviceProbe(), progress: progress)
}

/// `flash` with an explicit `BlockDeviceProbe` (tests use a scripted one).
package func flash<Probe: BlockDeviceProbe>(image: String, bmap bmapPath: String, device: String, options: FlashOptions,
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
    for input in [image, bmapPath] where sameFile(input, device) {
        throw .targetIsInput(path: device, input: input)
    }
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
    var relocated = false
    if options.relocateBackupGPT, case .blockDevice = target.kind {
        relocated = try relocateBackupGPT(image: source, imageSize: map.imageSize, target: destination)
    }
    return FlashReport(target: target, imageSize: map.imageSize, bytesWritten: written, rangesWritten: map.ranges.count,
                       writeSeconds: writeSeconds, verifySeconds: verifySeconds, relocatedBackupGPT: relocated)
}

/// Moves the image's GPT backup to the end of a larger device and reads the
/// written sectors back; false if the device is not larger or the image has
/// no GPT.
private func relocateBackupGPT(image: PositionalFile, imageSize: UInt64, target: PositionalFile) throws(FlashError) -> Bool {
    let deviceSize = (try? target.size()) ?? 0
    guard deviceSize > imageSize else { return false }
    do throws(ImageFormatsError) {
        var head = [UInt8](repeating: 0, count: Int(min(UInt64(GPTRelocation.headSize), imageSize)))
        var failure: ImageFormatsError?
        head.withUnsafeMutableBytes { buffer in
            do throws(ImageFormatsError) { _ = try image.read(into: buffer, at: 0) } catch { failure = error }
        }
        if let failure { throw failure }
        guard let writes = try GPTRelocation.writes(head: head, diskSize: deviceSize) else { return false }
        for write in writes { try target.write(write.bytes, at: write.offset) }
        try target.synchronize()
        _ = posix_fadvise(target.descriptor, 0, 0, POSIX_FADV_DONTNEED)
        for write in writes {
            var back = [UInt8](repeating: 0, count: write.bytes.count)
            back.withUnsafeMutableBytes { buffer in
                do throws(ImageFormatsError) { _ = try target.read(into: buffer, at: write.offset) } catch { failure = error }
            }
            if let failure { throw failure }
            guard back == write.bytes else {
                throw ImageFormatsError.diskLayoutInvalid(reason: "the sectors at byte \(write.offset) read back differently")
            }
        }
        return true
    } catch {
        throw .relocateGPTFailed(path: target.path, reason: error.description)
    }
}

/// True if both paths name the same inode (hard links and symlinks included).
private func sameFile(_ first: String, _ second: String) -> Bool {
    var a = stat()
    var b = stat()
    guard stat(first, &a) == 0, stat(second, &b) == 0 else { return false }
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino
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
