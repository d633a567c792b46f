// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// The frontend side of a page-directory shared buffer (xen/io/sndif.h
/// `xensnd_page_directory`, xen/io/displif.h `xendispl_page_directory`): buffer
/// pages granted to the backend, and a chain of read-only directory pages
/// listing their grant references, as xen-sndfront and xen-drmfront build it.
package struct SimulatedPageDirectory {
    /// The first directory page's grant reference (`gref_directory` in requests).
    package let directoryRef: GrantRef
    /// The buffer pages, in order, as the frontend sees them.
    package let pages: [UnsafeMutableRawPointer]
    /// Grant references of the buffer pages, in order.
    package let refs: [GrantRef]
    /// The directory pages.
    package let directoryPages: [UnsafeMutableRawPointer]

    /// Allocates and grants a `byteCount`-byte buffer of `bus`'s domain and its directory.
    package init(bus: SimulatedFrontendBus, byteCount: Int, readOnly: Bool = false) {
        var pages: [UnsafeMutableRawPointer] = []
        var refs: [GrantRef] = []
        for _ in 0..<PageDirectory.bufferPages(byteCount: byteCount) {
            let (page, ref) = bus.allocateGrantedPage(readOnly: readOnly)
            pages.append(page)
            refs.append(ref)
        }
        let directoryCount = max(PageDirectory.directoryPages(bufferPages: pages.count), 1)
        var directory: [(page: UnsafeMutableRawPointer, ref: GrantRef)] = []
        for _ in 0..<directoryCount { directory.append(bus.allocateGrantedPage(readOnly: true)) }
        for (index, entry) in directory.enumerated() {
            let next = index + 1 < directory.count ? directory[index + 1].ref.rawValue : 0
            entry.page.storeBytes(of: next.littleEndian, as: UInt32.self)  // gref_dir_next_page
        }
        for (index, ref) in refs.enumerated() {
            let page = directory[index / PageDirectory.refsPerPage].page
            page.storeBytes(of: ref.rawValue.littleEndian, toByteOffset: 4 + 4 * (index % PageDirectory.refsPerPage),
                            as: UInt32.self)
        }
        self.directoryRef = directory[0].ref
        self.pages = pages
        self.refs = refs
        self.directoryPages = directory.map { $0.page }
    }
}
