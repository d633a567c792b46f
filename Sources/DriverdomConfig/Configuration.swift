// SPDX-License-Identifier: Apache-2.0

/// A validated image composed with its board and layers: what the build, the Xen
/// config generator and the image assembly read.
///
/// Merge rules (image over layer over built-in default), per field:
/// - layer options: `ResolvedBinding.options` = the layer's `default` for every
///   declared option, replaced by the image binding's `options:` value where set;
/// - vkb `width`/`height`: the guest device's value if set, else the serving
///   layer's `width`/`height` option (merged as above), else 1920 × 1080;
/// - vsnd stream `alsa_pcm`: the stream's value if set, else the board device's
///   first `domd.alsa_pcms` entry;
/// - everything else comes from exactly one file and is not merged.
package struct Configuration: Sendable, Hashable {
    /// Where the board and layers came from.
    package var repository: Repository
    /// The image as written.
    package var image: Image
    /// Its board.
    package var board: Board
    /// The bound layers, in the image's binding order.
    package var layers: [Layer]
    /// The license policy after the merge of the site file and the image (see ``LicensePolicy``).
    package var licensePolicy: LicensePolicy

    /// Composes a validated image, board and layers.
    package init(repository: Repository, image: Image, board: Board, layers: [Layer],
                licensePolicy: LicensePolicy = LicensePolicy()) {
        self.repository = repository
        self.image = image
        self.board = board
        self.layers = layers
        self.licensePolicy = licensePolicy
    }

    /// Each binding with its layer, board devices and merged options.
    package var bindings: [ResolvedBinding] {
        image.layers.compactMap { binding in
            guard let layer = layers.first(where: { $0.name == binding.layer }) else { return nil }
            let options = layer.defaultOptions.merging(binding.options) { _, image in image }
            return ResolvedBinding(layer: layer, devices: binding.devices.compactMap(board.device(id:)),
                                   options: options)
        }
    }

    /// The binding that serves board device `deviceID`, if any.
    package func binding(serving deviceID: String) -> ResolvedBinding? {
        bindings.first { binding in binding.devices.contains { $0.id == deviceID } }
    }

    /// The guests layer `layer` serves, in image order: those with a PV device (vkb,
    /// vsnd, vdispl or usbctrl) on a board device it binds, or every guest when no
    /// guest device names it (`frontend: none`: its backend serves whichever guest connects).
    package func guests(servedBy layer: String) -> [Guest] {
        if layers.first(where: { $0.name == layer })?.frontend == GuestDeviceKind.none { return image.guests }
        let devices = Set(image.layers.filter { $0.layer == layer }.flatMap(\.devices))
        return image.guests.filter { guest in
            (guest.vkb.map(\.device) + guest.vsnd.map(\.device) + guest.vdispl.map(\.device)
                + guest.usbctrl.map(\.device)).contains(where: devices.contains)
        }
    }

    /// The board devices passed through to DomD (bound devices with a `passthrough` block),
    /// in binding order.
    package var passthroughDevices: [BoardDevice] {
        bindings.flatMap(\.devices).filter { $0.passthrough != nil }
    }

    /// The absolute pointer size of a vkb device after the merge rule above.
    package func pointerSize(of vkb: VirtualKeyboard) -> (width: Int, height: Int) {
        let options = binding(serving: vkb.device)?.options ?? [:]
        func option(_ name: String, _ fallback: Int) -> Int {
            if case .int(let value)? = options[name] { return value }
            return fallback
        }
        return (vkb.width ?? option("width", 1920), vkb.height ?? option("height", 1080))
    }

    /// The DomD DRM connector a vdispl connector is shown on: its `output`, else
    /// the board device's first connector.
    package func drmConnector(of connector: VirtualDisplay.Connector, in display: VirtualDisplay) -> String? {
        if let output = connector.output { return output }
        if case .display(_, let connectors)? = board.device(id: display.device)?.domd { return connectors.first }
        return nil
    }

    /// The DomD ALSA PCM a vsnd stream uses after the merge rule above.
    package func alsaPCM(of stream: VirtualSoundCard.Stream, in card: VirtualSoundCard) -> String? {
        if let pcm = stream.alsaPCM { return pcm }
        if case .sound(_, let pcms)? = board.device(id: card.device)?.domd { return pcms.first }
        return nil
    }
}

/// A layer binding after the merge: the layer, its board devices, its options.
package struct ResolvedBinding: Sendable, Hashable {
    /// The layer.
    package var layer: Layer
    /// The board devices it serves.
    package var devices: [BoardDevice]
    /// Every declared option: image value if set, else the layer default.
    package var options: [String: OptionValue]
    /// Creates a resolved binding.
    package init(layer: Layer, devices: [BoardDevice], options: [String: OptionValue]) {
        self.layer = layer
        self.devices = devices
        self.options = options
    }
}
