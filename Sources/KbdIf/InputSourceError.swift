// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Errors of the input side of kbdif.
public enum InputSourceError: Error, Equatable, CustomStringConvertible {
    case openFailed(path: String, errno: Int32)
    case grabFailed(path: String, errno: Int32)
    case readFailed(path: String, errno: Int32)
    /// The device went away (unplugged, or the read returned end of file).
    case deviceGone(path: String)

    public var description: String {
        switch self {
        case .openFailed(let p, let e): return "Unable to open input device \(p) (errno \(e)): check the path and that evdev is loaded."
        case .grabFailed(let p, let e): return "Unable to grab input device \(p) (errno \(e)): another process holds it exclusively."
        case .readFailed(let p, let e): return "Unable to read input device \(p) (errno \(e))."
        case .deviceGone(let p): return "Input device \(p) went away."
        }
    }
}
