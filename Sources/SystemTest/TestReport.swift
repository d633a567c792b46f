// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
import QEMURunner

/// The end-to-end checks of a driver layer, as its `layer.yaml` declares them
/// (`check:`). Each check prints one `driverdom-test: verdict <check> PASS|FAIL
/// <detail>` line per test guest; a layer passes when every one of its checks
/// printed a verdict for every guest and all of them passed.
package enum EndToEndChecks {
    /// The verdicts a check of the session kit prints: the input check's in the
    /// guest (e2e-input-check); sndif's playback check in DomD and capture check
    /// in the guest (``SoundTestPlan``); the display flip check in the guest and
    /// scanout check in DomD (``DisplayTestPlan``); the USB checks (``UsbTestPlan``).
    package static func verdicts(of kit: EndToEndKit) -> [String] {
        switch kit {
        case .input: return [inputCheck]
        case .sound: return SoundTestPlan.checks
        case .display: return DisplayTestPlan.checks
        case .usb: return UsbTestPlan.checks
        }
    }

    /// The verdict e2e-input-check prints (`kbdif`, the name it had as kbdif's check).
    package static let inputCheck = "kbdif"

    /// The teardown check's verdict name for `layer`.
    package static func teardown(of layer: String) -> String { layer + "-teardown" }

    /// The checks of `layer`: its kit checks' verdicts, its own, its teardown check's; empty when it declares none.
    package static func checks(of layer: Layer) -> [String] {
        layer.check.kit.flatMap(verdicts(of:)) + layer.check.verdicts
            + (layer.check.teardown ? [teardown(of: layer.name)] : [])
    }
}

/// One layer's outcome.
package enum LayerOutcome: Sendable, Equatable {
    /// Every check passed for every guest.
    case passed(String)
    /// A check failed or printed no verdict.
    case failed(String)
    /// The layer has no end-to-end check: never counted as a pass.
    case noCheck
}

/// The per-layer verdict of a test run.
package struct TestReport: Sendable, Equatable {
    /// Layer name and outcome, in the image's layer order.
    package var layers: [(name: String, outcome: LayerOutcome)]
    /// Why the run as a whole failed (timeout, panic), if it did.
    package var runFailure: String?

    /// True when nothing died, at least one layer was checked, and every checked layer passed.
    package var passed: Bool {
        runFailure == nil
            && layers.contains { if case .passed = $0.outcome { true } else { false } }
            && !layers.contains { if case .failed = $0.outcome { true } else { false } }
    }

    /// Judges `verdicts` for an image with `layers` (each with its checks, `checks[layer]`) served to `guests` test guests
    /// (`guestsPerLayer` overrides the count for a layer only some guests use).
    /// `runFailure` is set when the run ended badly (time limit, panic, no `finished`).
    /// `extraChecks` adds checks to a layer for this image (the passthrough checks), and
    /// `checkCounts` says how many verdicts a check prints when it is not one per guest.
    package static func judge(layers: [String], checks layerChecks: [String: [String]], guests allGuests: Int,
                             guestsPerLayer: [String: Int] = [:],
                             extraChecks: [String: [String]] = [:], checkCounts: [String: Int] = [:],
                             verdicts: [LayerVerdict], runFailure: String?) -> TestReport {
        var result: [(name: String, outcome: LayerOutcome)] = []
        for layer in layers {
            let checks = (layerChecks[layer] ?? []) + (extraChecks[layer] ?? [])
            let layerGuests = guestsPerLayer[layer] ?? allGuests
            guard !checks.isEmpty, layerGuests > 0 else {
                result.append((layer, .noCheck))
                continue
            }
            var problems: [String] = []
            var details: [String] = []
            for check in checks {
                let guests = checkCounts[check] ?? layerGuests
                let seen = verdicts.filter { $0.layer == check }
                for verdict in seen where !verdict.passed {
                    problems.append("\(check): \(verdict.detail)")
                }
                if seen.count < guests {
                    problems.append("\(check): \(guests - seen.count) of \(guests) guest(s) printed no verdict")
                }
                if let first = seen.first(where: \.passed) { details.append("\(check): \(first.detail)") }
            }
            result.append((layer, problems.isEmpty ? .passed(details.joined(separator: "; "))
                                                   : .failed(problems.joined(separator: "; "))))
        }
        return TestReport(layers: result, runFailure: runFailure)
    }

    /// The report as printed: one line per layer, then the overall result.
    package func lines() -> [String] {
        var out: [String] = []
        for (name, outcome) in layers {
            switch outcome {
            case let .passed(detail): out.append("\(name): PASS (\(detail))")
            case let .failed(detail): out.append("\(name): FAIL (\(detail))")
            case .noCheck: out.append("\(name): no end-to-end check")
            }
        }
        if let runFailure { out.append("run: FAIL (\(runFailure))") }
        out.append(passed ? "driverdom test: PASS" : "driverdom test: FAIL")
        return out
    }

    package static func == (lhs: TestReport, rhs: TestReport) -> Bool {
        lhs.runFailure == rhs.runFailure && lhs.layers.map(\.name) == rhs.layers.map(\.name)
            && lhs.layers.map(\.outcome) == rhs.layers.map(\.outcome)
    }
}
