// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf

/// One stream as the toolstack declares it under `<fe>/<pcm>/<stream>`.
public struct SndStreamSpec: Equatable, Sendable {
    public var direction: PCMDirection
    public var uniqueID: String
    /// Extra stream-level nodes (`sample-rates`, `buffer-size`, …).
    public var nodes: [String: String]
    public init(_ direction: PCMDirection, uniqueID: String, nodes: [String: String] = [:]) {
        self.direction = direction
        self.uniqueID = uniqueID
        self.nodes = nodes
    }
}
