// SPDX-License-Identifier: MIT
import XenCore

/// vtone-backend's command line, as driverdom-init passes it from the layer's
/// options (`--fade`, `--hz`) and the bound sound device's DomD facts
/// (`--card`, then its PCM names as positional words).
struct ToneCommandLine: BackendCommandLine {
    static let usage = """
        usage: vtone-backend [--hz N] [--fade] [--card NAME] [PCM]...
          --hz N        the tone's frequency, 1 to 24000 Hz (default 440)
          --fade        ramp the level up over the tone's first second
          --card NAME   the DomD sound card the tone stands for (published as `card`)
          PCM           that card's PCM names (published as `pcms`)
        """

    var hertz: UInt32 = 440
    var fadeIn = false
    var card = ""
    var pcms: [String] = []

    static func parse(_ arguments: [String]) throws(BackendArgumentError) -> ToneCommandLine {
        var parsed = ToneCommandLine()
        var reader = ArgumentReader(arguments)
        var sawHertz = false
        while let argument = try reader.next() {
            switch argument {
            case "--hz":
                if sawHertz { throw .givenTwice("--hz") }
                sawHertz = true
                parsed.hertz = try reader.number(of: argument, in: 1...ToneSignal.sampleRate / 2,
                                                 expected: "a frequency from 1 to 24000 Hz")
            case "--fade":
                parsed.fadeIn = true
            case "--card":
                if !parsed.card.isEmpty { throw .givenTwice("--card") }
                parsed.card = try reader.value(of: argument, expected: "a sound card name")
            default:
                let pcm = try reader.positional(argument)
                guard !pcm.contains(" ") else { throw .unexpectedArgument(pcm, reason: "a PCM name has no spaces") }
                parsed.pcms.append(pcm)
            }
        }
        return parsed
    }
}
