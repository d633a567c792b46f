// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Which way a stream moves samples.
public enum PCMDirection: Equatable, Sendable {
    case playback
    case capture
}
