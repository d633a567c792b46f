// SPDX-License-Identifier: Apache-2.0
import QEMURunner

/// The end-to-end checks `driverdom test` knows, per driver layer. Each check
/// prints one `driverdom-test: verdict <check> PASS|FAIL <detail>` line per
/// test guest; a layer passes when every one of its checks printed a verdict
/// for every guest and all of them passed.
package enum EndToEndChecks {
    /// Checks per layer: kbdif's input check runs in the guest (e2e-input-check),
    /// its teardown check in dom0 after the guest is destroyed; sndif's playback
    /// check in DomD, its capture check in the guest (``SoundTestPlan``); displif's
    /// flip check in the guest, its scanout check in DomD (``DisplayTestPlan``).
    package static let checks: [String: [String]] = [
        "kbdif": ["kbdif", "kbdif-teardown"],
        "sndif": SoundTestPlan.checks,
        "displif": DisplayTestPlan.checks,
        "usbif": UsbTestPlan.checks,
    ]

    /// The checks of `layer`, empty when the layer has no end-to-end check yet.
    package static func checks(of layer: String) -> [String] { checks[layer] ?? [] }
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

    /// Judges `verdicts` for an image with `layers` served to `guests` test guests
    /// (`guestsPerLayer` overrides the count for a layer only some guests use).
    /// `runFailure` is set when the run ended badly (time limit, panic, no `finished`).
    /// `extraChecks` adds checks to a layer for this image (the passthrough checks), and
    /// `checkCounts` says how many verdicts a check prints when it is not one per guest.
    package static func judge(layers: [String], guests allGuests: Int, guestsPerLayer: [String: Int] = [:],
                             extraChecks: [String: [String]] = [:], checkCounts: [String: Int] = [:],
                             verdicts: [LayerVerdict], runFailure: String?) -> TestReport {
        var result: [(name: String, outcome: LayerOutcome)] = []
        for layer in layers {
            let checks = EndToEndChecks.checks(of: layer) + (extraChecks[layer] ?? [])
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
