// SPDX-License-Identifier: Apache-2.0
// emulator-harness: runs a console program exactly as `driverdom run` runs
// QEMU (RunOptions.interactive: the terminal handed over, SIGINT/SIGTERM/SIGHUP
// stopping it), relays its console to stdout and exits like `driverdom run`:
// 130 when a signal ended the run, else the program's status (1 if unknown).
//
//   emulator-harness [--timeout SECONDS] PROGRAM [ARGUMENT...]
import Foundation
import QEMURunner

var arguments = Array(CommandLine.arguments.dropFirst())
var timeout: Double?
if arguments.first == "--timeout", arguments.count >= 2 {
    timeout = Double(arguments[1])
    arguments.removeFirst(2)
}
guard let program = arguments.first else {
    ConsoleSink.standardError.write("usage: emulator-harness [--timeout SECONDS] PROGRAM [ARGUMENT...]\n")
    exit(2)
}
do {
    let outcome = try QEMURun.run(program: program, arguments: Array(arguments.dropFirst()),
                                  options: RunOptions(timeout: timeout, interactive: true)) {
        ConsoleSink.standardOutput.write($0)
    }
    if let signal = outcome.interruption {
        ConsoleSink.standardError.write("emulator-harness: stopped by signal \(signal)\n")
        exit(130)
    }
    exit(outcome.exitStatus ?? 1)
} catch {
    ConsoleSink.standardError.write("emulator-harness: \(error)\n")
    exit(1)
}
