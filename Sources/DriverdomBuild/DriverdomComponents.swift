// SPDX-License-Identifier: Apache-2.0

/// Versions of driverdom's own components: the executable's source digest, so
/// equal sources give equal versions and any change a new one.
enum DriverdomComponents {
    static let supplier = "Organization: The driverdom authors"

    static func version(of executable: ExecutableInput) -> String {
        "src-" + executable.sourceDigest.prefix(16)
    }
}
