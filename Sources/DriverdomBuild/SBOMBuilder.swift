// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation
import Licensing
import RootfsAssembly

/// Makes the SPDX 2.3 document of an image from its rootfs trees and its
/// audited components (see `SBOMActions` for what feeds it).
///
/// Elements: the image (described by the document), one package per rootfs,
/// one per component (Debian package, driverdom executable, kernel modules
/// built from linux-source, files driverdom generates), and every regular file
/// of every rootfs with its SHA1 and SHA256. Relationships: image CONTAINS
/// rootfs; rootfs CONTAINS each file and each component it carries files of;
/// file GENERATED_FROM the component it came from; kernel modules
/// GENERATED_FROM the Debian package of the kernel sources.
struct SBOMBuilder {
    /// What the document is about.
    struct Subject {
        var imageName: String
        var epoch: Int
        /// The Debian archive the packages were fetched from (`http://…/debian`), nil if unknown.
        var archiveURI: String?
    }

    /// Where a file came from, beyond the Debian package that ships its path.
    enum Provenance {
        case component(kind: LicensedComponent.Kind, name: String)
        case rootfs(String)
        case generated
    }

    let subject: Subject
    private(set) var packages: [SPDXDocument.Package] = []
    private(set) var files: [SPDXDocument.File] = []
    private(set) var relationships: [SPDXDocument.Relationship] = []
    private var extracted: [String: SPDXDocument.ExtractedLicensingInfo] = [:]
    private var usedIDs: Set<String> = []
    private var componentIDs: [String: String] = [:]

    static let imageID = "SPDXRef-Image"
    static let generatedID = "SPDXRef-Package-driverdom-generated"

    init(subject: Subject) {
        self.subject = subject
        var image = SPDXDocument.Package(SPDXID: Self.imageID, name: subject.imageName, versionInfo: imageVersion,
                                         supplier: DriverdomComponents.supplier)
        image.primaryPackagePurpose = "OPERATING-SYSTEM"
        image.comment = "The driver-domain image \(subject.imageName), built by driverdom"
        packages.append(image)
        usedIDs.insert(Self.imageID)
        relationships.append(SPDXDocument.Relationship("SPDXRef-DOCUMENT", "DESCRIBES", Self.imageID))
        var generated = SPDXDocument.Package(SPDXID: Self.generatedID, name: "driverdom-generated-files",
                                             versionInfo: imageVersion, supplier: DriverdomComponents.supplier)
        generated.comment = "Files driverdom writes for this image: /etc entries, service tables, Xen configuration,"
            + " device trees, module indexes and license notices"
        packages.append(generated)
        usedIDs.insert(Self.generatedID)
        relationships.append(SPDXDocument.Relationship(Self.imageID, "CONTAINS", Self.generatedID))
    }

    private var imageVersion: String { "sde-\(subject.epoch)" }

    static func key(_ kind: LicensedComponent.Kind, _ name: String) -> String { kind.rawValue + "/" + name }

    /// Adds a component's package.
    mutating func add(_ row: LicenseAudit.Row) {
        let component = row.component
        let id = unique(SPDXDocument.identifier("Package-" + component.kind.rawValue, component.name))
        componentIDs[Self.key(component.kind, component.name)] = id
        var package = SPDXDocument.Package(SPDXID: id, name: component.name, versionInfo: component.version,
                                           supplier: component.kind == .debian ? "Organization: Debian"
                                               : DriverdomComponents.supplier)
        package.licenseDeclared = component.declared ?? "NOASSERTION"
        package.licenseConcluded = component.concluded ?? "NOASSERTION"
        package.licenseComments = [component.noAssertionReason.map { "Declared license: NOASSERTION because " + $0 },
                                   component.concludedReason.map { "Concluded by the license policy: " + $0 }]
            .compactMap { $0 }.joined(separator: "\n").nonEmpty
        for reference in component.references { addExtracted(reference) }
        if let concluded = component.concluded, let expression = try? LicenseExpression.parse(concluded) {
            for term in expression.terms where term.isReference && extracted[term.license] == nil {
                addExtracted(ExtractedLicense(id: term.license, name: term.license,
                                              text: "Concluded by the image's license policy: \(component.concludedReason ?? "")"))
            }
        }
        switch component.kind {
        case .debian:
            if let uri = subject.archiveURI, let filename = component.filename {
                package.downloadLocation = uri.hasSuffix("/") ? uri + filename : uri + "/" + filename
            }
            if let sha256 = component.sha256 {
                package.checksums = [SPDXDocument.Checksum(algorithm: "SHA256", checksumValue: sha256)]
            }
            package.sourceInfo = "built package from: \(component.source ?? component.name) \(component.sourceVersion ?? component.version)"
            package.externalRefs = [SPDXDocument.ExternalReference(
                referenceCategory: "PACKAGE-MANAGER", referenceType: "purl",
                referenceLocator: Self.purl(component))]
        case .driverdom:
            package.comment = "Cross-compiled by driverdom with Embedded Swift; license from its sources' SPDX headers"
            package.primaryPackagePurpose = "APPLICATION"
        case .kernelModules:
            package.comment = "Kernel module built by driverdom from Debian's kernel sources"
                + " (\(component.source ?? "linux") \(component.sourceVersion ?? component.version));"
                + " license from its sources' SPDX headers"
            package.sourceInfo = "built from Debian source package \(component.source ?? "linux") \(component.sourceVersion ?? component.version)"
        }
        packages.append(package)
        for rootfs in component.rootfs {
            relationships.append(SPDXDocument.Relationship(Self.rootfsID(rootfs), "CONTAINS", id))
        }
    }

    /// Adds a Debian package that is built from (not shipped), e.g. the kernel sources.
    mutating func addBuiltFrom(_ component: LicensedComponent, for kind: LicensedComponent.Kind, names: [String]) {
        var row = LicenseAudit.Row(component: component, shippedUnder: nil, verdict: "", obligations: [])
        row.component.rootfs = []
        if componentIDs[Self.key(component.kind, component.name)] == nil { add(row) }
        guard let source = componentIDs[Self.key(component.kind, component.name)] else { return }
        for name in names {
            guard let built = componentIDs[Self.key(kind, name)] else { continue }
            relationships.append(SPDXDocument.Relationship(built, "GENERATED_FROM", source))
            // Also a (build) dependency, so the sources hang in the SBOM's tree like everything else.
            relationships.append(SPDXDocument.Relationship(built, "DEPENDS_ON", source))
        }
    }

    static func rootfsID(_ name: String) -> String { SPDXDocument.identifier("Rootfs", name) }

    /// Adds a rootfs and its regular files; `provenance` names where each came from.
    mutating func add(rootfs name: String, tree: StagedTree,
                      provenance: (StagedEntry) -> (debian: String?, other: Provenance?)) throws {
        let rootfsID = unique(Self.rootfsID(name))
        var sha1s: [String] = []
        for entry in tree.sortedEntries() {
            guard case let .regularFile(content) = entry.kind else { continue }
            let bytes = try content.readAll()
            let sha1 = Insecure.SHA1.hash(data: bytes).hex
            sha1s.append(sha1)
            let id = unique(SPDXDocument.identifier("File-" + name, entry.path))
            let from = provenance(entry)
            var file = SPDXDocument.File(SPDXID: id, fileName: "." + entry.path,
                                         checksums: [SPDXDocument.Checksum(algorithm: "SHA1", checksumValue: sha1),
                                                     SPDXDocument.Checksum(algorithm: "SHA256", checksumValue: SHA256.hash(data: bytes).hex)],
                                         fileTypes: nil, comment: "origin: \(entry.origin)")
            file.fileTypes = [Self.fileType(entry.path, bytes: bytes)]
            files.append(file)
            relationships.append(SPDXDocument.Relationship(rootfsID, "CONTAINS", id))
            var source: String?
            if let debian = from.debian { source = componentIDs[Self.key(.debian, debian)] }
            if source == nil, let other = from.other {
                switch other {
                case let .component(kind, componentName): source = componentIDs[Self.key(kind, componentName)]
                case let .rootfs(rootfs): source = Self.rootfsID(rootfs)
                case .generated: source = Self.generatedID
                }
            }
            if let source { relationships.append(SPDXDocument.Relationship(id, "GENERATED_FROM", source)) }
        }
        var package = SPDXDocument.Package(SPDXID: rootfsID, name: "\(subject.imageName)-\(name)-rootfs",
                                           versionInfo: imageVersion, supplier: DriverdomComponents.supplier)
        package.filesAnalyzed = true
        package.packageVerificationCode = SPDXDocument.VerificationCode(
            packageVerificationCodeValue: Insecure.SHA1.hash(data: Data(sha1s.sorted().joined().utf8)).hex)
        package.comment = "The \(name) root filesystem: every regular file, with the component it came from"
        packages.append(package)
        relationships.append(SPDXDocument.Relationship(Self.imageID, "CONTAINS", rootfsID))
        relationships.append(SPDXDocument.Relationship(rootfsID, "CONTAINS", Self.generatedID))
    }

    /// The finished document, its namespace derived from its content.
    func document(comment: String) -> SPDXDocument {
        let info = SPDXDocument.CreationInfo(created: SPDXDocument.timestamp(epoch: subject.epoch),
                                             creators: ["Tool: driverdom", DriverdomComponents.supplier],
                                             licenseListVersion: String(SPDXLicenseList.version.split(separator: ".").prefix(2)
                                                 .joined(separator: ".")))
        return SPDXDocument(name: subject.imageName, creationInfo: info, comment: comment, packages: packages,
                            files: files, extractedLicenses: extracted.keys.sorted().map { extracted[$0]! },
                            relationships: relationships)
            .withContentNamespace(prefix: "https://driverdom.invalid/spdx/\(subject.imageName)-")
    }

    private mutating func addExtracted(_ license: ExtractedLicense) {
        guard extracted[license.id] == nil else { return }
        extracted[license.id] = SPDXDocument.ExtractedLicensingInfo(licenseId: license.id, name: license.name,
                                                                    extractedText: license.text)
    }

    private mutating func unique(_ id: String) -> String {
        var candidate = id
        var counter = 2
        while usedIDs.contains(candidate) {
            candidate = "\(id)-\(counter)"
            counter += 1
        }
        usedIDs.insert(candidate)
        return candidate
    }

    /// `pkg:deb/debian/NAME@VERSION?arch=ARCH` (version percent-encoded as purl asks).
    static func purl(_ component: LicensedComponent) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: ".-_~")
        let version = component.version.addingPercentEncoding(withAllowedCharacters: allowed) ?? component.version
        return "pkg:deb/debian/\(component.name)@\(version)?arch=\(component.architecture ?? "all")"
    }

    /// SPDX file type: BINARY for ELF files, TEXT for license notices and text, else OTHER.
    static func fileType(_ path: String, bytes: [UInt8]) -> String {
        if bytes.starts(with: [0x7f, 0x45, 0x4c, 0x46]) { return "BINARY" }
        if path.hasPrefix("/usr/share/doc/") || path.hasPrefix("/etc/") { return "TEXT" }
        return "OTHER"
    }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hex.
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}

private extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
