// SPDX-License-Identifier: Apache-2.0
import DisplIf
import DomDInit
import DriverdomConfig
import Foundation
import KbdIf
import SndIf
import Testing
import UsbIf
import XenCore
@testable import DriverdomBuild

/// The backend command-line contract: what `DomDServices` writes for each layer
/// of every image in `Images/` is read back by that layer's own parser (the
/// `BackendCommandLine` its backend's `main` runs), so an option name, a fact
/// or a bind the build writes and its backend does not take fails here, not at boot.
@Suite struct BackendArgumentsTests {
    /// Every image config in the repository's `Images/` folder.
    static let images: [String] = {
        let folder = repositoryRoot.appendingPathComponent("Images")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    /// Parses `arguments` with the parser of the backend `program` runs; the
    /// parse error, or nil when the backend would accept them.
    static func parseError(program: String, arguments: [String]) throws -> BackendArgumentError? {
        func attempt<Line: BackendCommandLine>(_ line: Line.Type) -> BackendArgumentError? {
            do {
                _ = try Line.parse(arguments)
                return nil
            } catch {
                return error
            }
        }
        switch (program as NSString).lastPathComponent {
        case "kbdif-backend": return attempt(KbdIfCommandLine.self)
        case "sndif-backend": return attempt(SndIfCommandLine.self)
        case "displif-backend": return attempt(DisplIfCommandLine.self)
        case "usbif-backend": return attempt(UsbIfCommandLine.self)
        default:
            Issue.record("no parser known for the backend \(program): add its BackendCommandLine here")
            return nil
        }
    }

    static func load(_ image: String) throws -> Configuration {
        let path = repositoryRoot.appendingPathComponent("Images").appendingPathComponent(image).path
        return try Repository.find(from: path).loadImage(at: path)
    }

    @Test func everyImageIsCovered() {
        #expect(Self.images.count >= 3, "Images/ holds \(Self.images)")
    }

    @Test(arguments: images)
    func everyServiceParsesWithItsBackendsParser(image: String) throws {
        let configuration = try Self.load(image)
        let table = DomDServices.table(for: configuration)
        #expect(!table.services.isEmpty)
        for service in table.services {
            let error = try Self.parseError(program: service.program, arguments: service.arguments)
            #expect(error == nil, "\(image): \(service.name) would exit 2 on \(service.arguments): \(error.map { "\($0)" } ?? "")")
        }
    }

    /// Each option a layer declares, set to a non-default value, is an option
    /// its backend knows (or refuses by name, as displif does `--zero-copy`).
    @Test(arguments: images)
    func everyLayerOptionIsKnownToItsBackend(image: String) throws {
        let configuration = try Self.load(image)
        let binds = DomDServices.bindsByLayer(of: configuration)
        for binding in configuration.bindings {
            for option in binding.layer.options {
                var changed = binding
                switch option.defaultValue {
                case .bool(let value): changed.options[option.name] = .bool(!value)
                case .int(let value): changed.options[option.name] = .int(value == 1 ? 2 : 1)
                case .string: changed.options[option.name] = .string("x")
                }
                let service = DomDServices.service(for: changed, guestBinds: binds[binding.layer.name] ?? [])
                let flag = "--" + option.name.replacingOccurrences(of: "_", with: "-")
                let error = try Self.parseError(program: service.program, arguments: service.arguments)
                switch error {
                case nil: break
                case .refused(let refused, _)? where refused == flag: break
                case let error?:
                    Issue.record("\(image): layer \(binding.layer.name) option \(option.name) -> \(service.arguments): \(error)")
                }
            }
        }
    }
}
