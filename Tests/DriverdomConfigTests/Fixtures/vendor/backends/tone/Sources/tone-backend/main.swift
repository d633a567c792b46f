// SPDX-License-Identifier: MIT
// The fixture's vendor backend: parses its arguments as the layer contract gives them.
import XenCore
import XenLinux

BackendProcess.prepare()
let arguments = BackendProcess.arguments()
print("tone-backend: " + (arguments.isEmpty ? "no arguments" : arguments.joined(separator: " ")))
