// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import Testing

/// The typed merge rules stated on `Configuration`.
@Suite struct MergeTests {
    let configuration: Configuration

    init() throws {
        configuration = try Repository(root: Fixtures.broken).loadImage(at: Fixtures.broken + "/Images/valid.yaml")
    }

    @Test func imageOptionsOverrideLayerDefaults() throws {
        let kbdif = try #require(configuration.binding(serving: "keys0"))
        #expect(kbdif.layer.name == "kbdif")
        #expect(kbdif.options == ["grab": .bool(true), "width": .int(1280), "height": .int(1080),
                                  "label": .string("front")])
        let sndif = try #require(configuration.binding(serving: "sound0"))
        #expect(sndif.options == sndif.layer.defaultOptions)
        #expect(configuration.image.layers.first { $0.layer == "kbdif" }?.options.count == 3)
    }

    @Test func pointerSizeFallsBackToLayerOptions() throws {
        let vkb = try #require(configuration.image.guests.first?.vkb.first)
        #expect(vkb.width == nil)
        #expect(configuration.pointerSize(of: vkb) == (1280, 1080))
        var sized = vkb
        sized.width = 800
        #expect(configuration.pointerSize(of: sized) == (800, 1080))
    }

    @Test func streamWithoutALSAPCMUsesTheDevicesFirst() throws {
        let card = try #require(configuration.image.guests.first?.vsnd.first)
        let streams = try #require(card.pcms.first?.streams)
        #expect(configuration.alsaPCM(of: streams[0], in: card) == "hw:0,0")
        #expect(configuration.alsaPCM(of: streams[1], in: card) == "hw:0,1")
    }

    @Test func aliasesAreResolvedBeforeValidation() throws {
        let guests = configuration.image.guests
        #expect(guests.map(\.name) == ["IVI", "Rear"])
        #expect(guests[1].vkb == guests[0].vkb)
    }

    @Test func unboundDevicesAreNotServed() {
        #expect(configuration.binding(serving: "loop-sound") == nil)
        #expect(configuration.bindings.count == 4)
    }
}
