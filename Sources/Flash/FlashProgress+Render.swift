// SPDX-License-Identifier: Apache-2.0
import Foundation

extension FlashProgress {
    /// One status line for a terminal, e.g.
    /// `writing        [##########----------]  25.2/50.4 MB  412.3 MB/s`.
    package func render(barWidth: Int = 30) -> String {
        let fraction = bytesTotal == 0 ? 1 : min(1, Double(bytesDone) / Double(bytesTotal))
        let filled = Int((fraction * Double(barWidth)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled)
        let phaseName = phase.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)
        return phaseName + " [" + bar + "] "
            + String(format: "%6.1f/%.1f MB  %7.1f MB/s", Double(bytesDone) / 1e6, Double(bytesTotal) / 1e6, megabytesPerSecond)
    }
}
