// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf

/// One stream as the toolstack declares it under `<fe>/<pcm>/<stream>`.
package struct SndStreamSpec: Equatable, Sendable {
    package var direction: PCMDirection
    package var uniqueID: String
    /// Extra stream-level nodes (`sample-rates`, `buffer-size`, …).
    package var nodes: [String: String]
    package init(_ direction: PCMDirection, uniqueID: String, nodes: [String: String] = [:]) {
        self.direction = direction
        self.uniqueID = uniqueID
        self.nodes = nodes
    }
}
