// SPDX-License-Identifier: MIT

/// The tone a vtone backend serves: a triangle wave of `hertz` at 48 kHz, signed
/// 16-bit mono, optionally faded in over its first second. Sample n is a pure
/// function of n, so a frontend may ask for any stretch, in any order.
struct ToneSignal {
    static let sampleRate: UInt32 = 48000
    static let amplitude: Int64 = 8192

    let hertz: UInt32
    let fadeIn: Bool

    /// Sample `index` of the tone.
    func sample(_ index: UInt32) -> Int16 {
        let rate = Int64(Self.sampleRate)
        // Where `index` falls in its period, scaled to 0..<rate.
        let phase = Int64((UInt64(index) * UInt64(hertz)) % UInt64(rate))
        let distance = phase > rate / 2 ? phase - rate / 2 : rate / 2 - phase
        var value = Self.amplitude - 4 * Self.amplitude * distance / rate   // -A at phase 0, +A at half a period
        if fadeIn && Int64(index) < rate { value = value * Int64(index) / rate }
        return Int16(value)
    }
}
