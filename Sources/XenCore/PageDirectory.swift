// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The page directory that describes a large shared buffer in sndif and displif
/// (`struct xensnd_page_directory` in xen/io/sndif.h, `xendispl_page_directory`
/// in xen/io/displif.h): a chain of granted pages, each holding
/// `gref_dir_next_page` (0 ends the chain) and then as many grant references
/// of buffer pages as fit.
public enum PageDirectory {
    /// Buffer grant references one directory page holds: (4096 - 4) / 4 = 1023.
    public static let refsPerPage = (XenPage.size - 4) / 4

    /// Number of buffer pages needed for `byteCount` bytes.
    public static func bufferPages(byteCount: Int) -> Int { (byteCount + XenPage.size - 1) / XenPage.size }

    /// Number of directory pages needed for `bufferPages` buffer pages.
    public static func directoryPages(bufferPages: Int) -> Int { (bufferPages + refsPerPage - 1) / refsPerPage }

    /// Reads the grant references of a `byteCount`-byte buffer from the
    /// directory starting at `firstDirectoryRef`. Each directory page is mapped
    /// read-only, copied and unmapped; only as many pages as `byteCount` needs are
    /// followed, so a looping or overlong chain cannot make it spin.
    public static func readRefs<Grants: GrantMapper>(
        grants: Grants, domain: DomainID, firstDirectoryRef: GrantRef, byteCount: Int, limit: Int
    ) throws(XenError) -> [GrantRef] {
        guard byteCount <= limit, byteCount >= 0 else { throw .bufferTooLarge(size: byteCount, limit: limit) }
        let needed = bufferPages(byteCount: byteCount)
        var refs: [GrantRef] = []
        refs.reserveCapacity(needed)
        var directoryRef = firstDirectoryRef
        var page = [UInt32](repeating: 0, count: XenPage.size / 4)
        while refs.count < needed {
            let mapping = try grants.map(domain: domain, ref: directoryRef, writable: false)
            page.withUnsafeMutableBytes { bytes in
                SharedMemory.copy(to: bytes.baseAddress!, from: mapping.address, count: XenPage.size)
            }
            try grants.unmap(mapping)
            let take = min(needed - refs.count, refsPerPage)
            for index in 0..<take { refs.append(GrantRef(UInt32(littleEndian: page[1 + index]))) }
            let next = UInt32(littleEndian: page[0])
            if refs.count < needed {
                guard next != 0 else { throw .pageDirectoryTooShort(needed: needed, found: refs.count) }
                directoryRef = GrantRef(next)
            }
        }
        return refs
    }

    /// Reads the directory and maps the whole buffer contiguously.
    public static func mapBuffer<Grants: GrantMapper>(
        grants: Grants, domain: DomainID, firstDirectoryRef: GrantRef, byteCount: Int, limit: Int, writable: Bool
    ) throws(XenError) -> GrantMapping {
        let refs = try readRefs(grants: grants, domain: domain, firstDirectoryRef: firstDirectoryRef,
                                byteCount: byteCount, limit: limit)
        return try grants.map(domain: domain, refs: refs, writable: writable)
    }

    /// Fills the directory the frontend provided at `firstDirectoryRef` (granted
    /// writable; it set each page's `gref_dir_next_page`) with `refs`, the grant
    /// references of pages this domain allocated (displif's be-alloc). Only as
    /// many directory pages as `refs` need are visited, each mapped once.
    public static func writeRefs<Grants: GrantMapper>(
        _ refs: [GrantRef], grants: Grants, domain: DomainID, firstDirectoryRef: GrantRef
    ) throws(XenError) {
        var written = 0
        var directoryRef = firstDirectoryRef
        while written < refs.count {
            let mapping = try grants.map(domain: domain, ref: directoryRef, writable: true)
            let next = SharedMemory.load32(UnsafeRawPointer(mapping.address))  // read once: the frontend may change it
            let take = min(refs.count - written, refsPerPage)
            for index in 0..<take {
                SharedMemory.store32(mapping.address + 4 * (1 + index), refs[written + index].rawValue.littleEndian)
            }
            SharedMemory.writeBarrier()
            try grants.unmap(mapping)
            written += take
            if written < refs.count {
                guard next != 0 else { throw .pageDirectoryTooShort(needed: refs.count, found: written) }
                directoryRef = GrantRef(UInt32(littleEndian: next))
            }
        }
    }
}
