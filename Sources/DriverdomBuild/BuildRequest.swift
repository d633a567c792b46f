// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig

/// How much a build prints.
package enum ProgressStyle: String, Sendable, CaseIterable {
    /// One line per step with `[n/m]`, cache hit or time taken; download progress bar.
    case human
    /// Errors only.
    case quiet
    /// Also full tool command lines, and their output on failure.
    case verbose
    /// One JSON event per line (for CI).
    case json
}

/// One `driverdom build` invocation.
package struct BuildRequest: Sendable, Equatable {
    /// Path of the image YAML.
    package var imagePath: String
    /// `--layer` names: their compile and stage steps, and what depends on them, run even when cached.
    package var forcedLayers: [String]
    /// `--arch`: must match the board's architecture when given.
    package var architecture: Architecture?
    /// Output folder and cache.
    package var locations: BuildLocations
    /// Steps run at once.
    package var jobs: Int
    /// Never reach the network: build from the lock and the package cache.
    package var offline: Bool
    /// Progress output.
    package var progress: ProgressStyle

    /// Creates a request.
    package init(imagePath: String, forcedLayers: [String] = [], architecture: Architecture? = nil,
                locations: BuildLocations, jobs: Int = 2, offline: Bool = false,
                progress: ProgressStyle = .human) {
        self.imagePath = imagePath
        self.forcedLayers = forcedLayers
        self.architecture = architecture
        self.locations = locations
        self.jobs = jobs
        self.offline = offline
        self.progress = progress
    }
}
