// SPDX-License-Identifier: Apache-2.0

/// An image: a board, the layers bound to its devices, the driver domain and the
/// guests it serves, and the output formats. Loaded from `Images/<name>.yaml`.
package struct Image: Sendable, Hashable {
    /// Image name (used for output file names).
    package var name: String
    /// The board's name (`Boards/<board>.yaml`).
    package var board: String
    /// Fixed timestamp for reproducible outputs; nil means "time of the last git commit".
    package var sourceDateEpoch: Int?
    /// Where the Debian packages come from (`debian:`); empty means the host's apt sources.
    package var packageSources = PackageSources()
    /// Layer bindings in file order.
    package var layers: [LayerBinding]
    /// The driver domain.
    package var driverDomain: DriverDomain
    /// Guests served by DomD, in file order.
    package var guests: [Guest]
    /// Output formats, in file order, without duplicates.
    package var outputs: [OutputFormat]
    /// The image file (absolute path).
    package var path: String
    /// The image's own `license_policy:` (before the merge with the site file), if any.
    package var licensePolicy: LicensePolicy?
    /// What `driverdom test` adds (`test:`); empty when the image has none.
    package var test = ImageTest()

    /// Creates an image.
    package init(name: String, board: String, sourceDateEpoch: Int?, layers: [LayerBinding],
                driverDomain: DriverDomain, guests: [Guest], outputs: [OutputFormat], path: String,
                licensePolicy: LicensePolicy? = nil) {
        self.name = name
        self.board = board
        self.sourceDateEpoch = sourceDateEpoch
        self.layers = layers
        self.driverDomain = driverDomain
        self.guests = guests
        self.outputs = outputs
        self.path = path
        self.licensePolicy = licensePolicy
    }
}

/// One `layers:` item: a layer, the board devices it serves, and option overrides.
package struct LayerBinding: Sendable, Hashable {
    /// Layer name.
    package var layer: String
    /// Board device ids; each device has the layer's `binds` class.
    package var devices: [String]
    /// Values the image sets (`options:`); typed as the layer declares. Only the
    /// overrides: see `ResolvedBinding.options` for the merged values.
    package var options: [String: OptionValue]
    /// Where the item starts.
    package var location: SourceLocation
    /// Creates a binding.
    package init(layer: String, devices: [String], options: [String: OptionValue], location: SourceLocation) {
        self.layer = layer
        self.devices = devices
        self.options = options
        self.location = location
    }
}

/// The driver domain (`driver_domain:`).
package struct DriverDomain: Sendable, Hashable {
    /// Where the backends run.
    package enum Mode: String, Sendable, Hashable, CaseIterable {
        /// A separate domain created with `driver_domain = 1`.
        case separate
        /// The backends run in dom0 (no passthrough needed).
        case dom0
    }
    /// Domain name (also the guests' `backend=`).
    package var name: String
    /// Where the backends run.
    package var mode: Mode
    /// Memory.
    package var memory: ByteCount
    /// Virtual CPUs (at least 1).
    package var vcpus: Int
    /// Whether DomD's init starts a shell on its console (`debug_shell`, default false).
    package var debugShell: Bool
    /// Memory reserved for mapping guests' grants (`grant_frames`, whole MiB,
    /// default `defaultGrantFrames`): a separate DomD is created with
    /// `memory + grantFrames` and balloons `grantFrames` back to Xen at boot.
    package var grantFrames: ByteCount
    /// The default reserve for grant mappings: 16 MiB.
    package static let defaultGrantFrames = ByteCount(bytes: 16 << 20)
    /// Creates a driver domain.
    package init(name: String, mode: Mode, memory: ByteCount, vcpus: Int, debugShell: Bool,
                grantFrames: ByteCount = DriverDomain.defaultGrantFrames) {
        self.name = name
        self.mode = mode
        self.memory = memory
        self.vcpus = vcpus
        self.debugShell = debugShell
        self.grantFrames = grantFrames
    }

    /// What Xen gives the domain: `memory`, plus the grant reserve for a separate DomD.
    package var domainMemory: ByteCount {
        mode == .separate ? ByteCount(bytes: memory.bytes + grantFrames.bytes) : memory
    }
}

/// Output formats an image can ask for (`outputs:`).
package enum OutputFormat: String, Sendable, Hashable, CaseIterable {
    /// DomD's root filesystem as a cpio initramfs.
    case initramfs
    /// DomD's root filesystem as an ext4 image.
    case ext4
    /// The whole partitioned disk image for the board's flash.
    case disk
    /// A bmaptool block map of the disk image (needs `disk`).
    case bmap
    /// The package and license manifest.
    case manifest
    /// An SPDX software bill of materials.
    case sbom
}

/// What `driverdom test` needs beyond the image (`test:`): nothing of it goes
/// into the image's domains.
package struct ImageTest: Sendable, Hashable {
    /// Kernel modules the test guests load that Debian's kernel does not build
    /// (`guest_modules:`, e.g. xen-drm-front), built out of tree from Debian's
    /// linux-source by the kernel step, like the board's `provided_by.build`.
    package var guestModules: [ModuleBuild]

    /// Creates a test section.
    package init(guestModules: [ModuleBuild] = []) {
        self.guestModules = guestModules
    }
}
