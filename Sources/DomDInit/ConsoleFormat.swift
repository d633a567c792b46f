// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Formats a console line `[ssss.uuuuuu] init: message\n` like the kernel's printk time.
package func formatLogLine(nanoseconds: UInt64, message: String) -> String {
    let micros = nanoseconds / 1_000
    let seconds = micros / 1_000_000
    let fraction = micros % 1_000_000
    var secondsText = "\(seconds)"
    while secondsText.utf8.count < 5 { secondsText = " " + secondsText }
    var fractionText = "\(fraction)"
    while fractionText.utf8.count < 6 { fractionText = "0" + fractionText }
    return "[" + secondsText + "." + fractionText + "] init: " + message + "\n"
}

/// Formats a duration in nanoseconds as seconds with three decimals (`1.250 s`).
package func formatDuration(_ nanoseconds: UInt64) -> String {
    let millis = nanoseconds / 1_000_000
    var fraction = "\(millis % 1_000)"
    while fraction.utf8.count < 3 { fraction = "0" + fraction }
    return "\(millis / 1_000)." + fraction + " s"
}

/// Name of a common Linux signal number, for log lines.
package func signalName(_ number: Int32) -> String {
    switch number {
    case 1: return "SIGHUP"
    case 2: return "SIGINT"
    case 3: return "SIGQUIT"
    case 4: return "SIGILL"
    case 5: return "SIGTRAP"
    case 6: return "SIGABRT"
    case 7: return "SIGBUS"
    case 8: return "SIGFPE"
    case 9: return "SIGKILL"
    case 11: return "SIGSEGV"
    case 13: return "SIGPIPE"
    case 14: return "SIGALRM"
    case 15: return "SIGTERM"
    default: return "signal \(number)"
    }
}
