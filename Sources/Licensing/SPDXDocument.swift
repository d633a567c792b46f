// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation

/// An SPDX 2.3 document in its JSON form (SPDX 2.3 specification, clauses 6–11),
/// with the fields driverdom writes. Encoded with sorted keys and no
/// timestamps but `created`, so equal content gives equal bytes.
public struct SPDXDocument: Codable, Equatable, Sendable {
    public var spdxVersion = "SPDX-2.3"
    public var dataLicense = "CC0-1.0"
    public var SPDXID = "SPDXRef-DOCUMENT"
    public var name: String
    /// A URI unique to this document's content (see ``withContentNamespace(prefix:)``).
    public var documentNamespace: String
    public var creationInfo: CreationInfo
    public var comment: String?
    public var packages: [Package]
    public var files: [File]
    public var hasExtractedLicensingInfos: [ExtractedLicensingInfo]?
    public var relationships: [Relationship]

    /// Creates a document; its namespace is set by ``withContentNamespace(prefix:)``.
    public init(name: String, creationInfo: CreationInfo, comment: String?, packages: [Package], files: [File],
                extractedLicenses: [ExtractedLicensingInfo], relationships: [Relationship]) {
        self.name = name
        self.documentNamespace = ""
        self.creationInfo = creationInfo
        self.comment = comment
        self.packages = packages
        self.files = files
        self.hasExtractedLicensingInfos = extractedLicenses.isEmpty ? nil : extractedLicenses
        self.relationships = relationships
    }

    /// Who made the document and when (clause 6.8–6.10).
    public struct CreationInfo: Codable, Equatable, Sendable {
        /// ISO 8601 UTC time, `YYYY-MM-DDThh:mm:ssZ`.
        public var created: String
        /// `Tool: …`, `Organization: …` or `Person: …`.
        public var creators: [String]
        public var licenseListVersion: String?
        public init(created: String, creators: [String], licenseListVersion: String?) {
            self.created = created
            self.creators = creators
            self.licenseListVersion = licenseListVersion
        }
    }

    /// A checksum (algorithm `SHA1`, `SHA256`, …, value in lowercase hex).
    public struct Checksum: Codable, Equatable, Sendable {
        public var algorithm: String
        public var checksumValue: String
        public init(algorithm: String, checksumValue: String) {
            self.algorithm = algorithm
            self.checksumValue = checksumValue
        }
    }

    /// An external reference of a package (e.g. its purl).
    public struct ExternalReference: Codable, Equatable, Sendable {
        public var referenceCategory: String
        public var referenceType: String
        public var referenceLocator: String
        public init(referenceCategory: String, referenceType: String, referenceLocator: String) {
            self.referenceCategory = referenceCategory
            self.referenceType = referenceType
            self.referenceLocator = referenceLocator
        }
    }

    /// A package (clause 7).
    public struct Package: Codable, Equatable, Sendable {
        public var SPDXID: String
        public var name: String
        public var versionInfo: String?
        public var supplier: String?
        public var originator: String?
        public var downloadLocation: String
        public var filesAnalyzed: Bool
        /// Required when `filesAnalyzed` (clause 7.9).
        public var packageVerificationCode: VerificationCode?
        public var checksums: [Checksum]?
        public var sourceInfo: String?
        public var licenseConcluded: String
        public var licenseDeclared: String
        public var licenseComments: String?
        public var copyrightText: String
        public var comment: String?
        public var primaryPackagePurpose: String?
        public var externalRefs: [ExternalReference]?

        /// Creates a package with nothing asserted about its licenses or download.
        public init(SPDXID: String, name: String, versionInfo: String?, supplier: String?) {
            self.SPDXID = SPDXID
            self.name = name
            self.versionInfo = versionInfo
            self.supplier = supplier
            self.downloadLocation = "NOASSERTION"
            self.filesAnalyzed = false
            self.licenseConcluded = "NOASSERTION"
            self.licenseDeclared = "NOASSERTION"
            self.copyrightText = "NOASSERTION"
        }
    }

    /// A package verification code: SHA1 of the sorted, concatenated SHA1s of its files (clause 7.9).
    public struct VerificationCode: Codable, Equatable, Sendable {
        public var packageVerificationCodeValue: String
        public init(packageVerificationCodeValue: String) {
            self.packageVerificationCodeValue = packageVerificationCodeValue
        }
    }

    /// A file (clause 8).
    public struct File: Codable, Equatable, Sendable {
        public var SPDXID: String
        /// Relative to its package's root, starting with `./`.
        public var fileName: String
        public var checksums: [Checksum]
        public var fileTypes: [String]?
        public var licenseConcluded: String?
        public var copyrightText: String?
        public var comment: String?

        public init(SPDXID: String, fileName: String, checksums: [Checksum], fileTypes: [String]?, comment: String?) {
            self.SPDXID = SPDXID
            self.fileName = fileName
            self.checksums = checksums
            self.fileTypes = fileTypes
            self.comment = comment
        }
    }

    /// A license not on the SPDX list (clause 10).
    public struct ExtractedLicensingInfo: Codable, Equatable, Sendable {
        public var licenseId: String
        public var name: String
        public var extractedText: String
        public init(licenseId: String, name: String, extractedText: String) {
            self.licenseId = licenseId
            self.name = name
            self.extractedText = extractedText
        }
    }

    /// A relationship between two elements (clause 11).
    public struct Relationship: Codable, Equatable, Sendable {
        public var spdxElementId: String
        public var relationshipType: String
        public var relatedSpdxElement: String
        public init(_ element: String, _ type: String, _ related: String) {
            spdxElementId = element
            relationshipType = type
            relatedSpdxElement = related
        }
    }

    /// The JSON encoding: sorted keys, two-space indentation, trailing newline.
    public func jsonData() -> Data {
        // Strings, booleans and arrays of them: encoding cannot fail.
        (try? CanonicalJSON.encode(self)) ?? Data()
    }

    /// The document with its namespace `prefix` + the SHA256 of its encoding
    /// without a namespace: the same content always gets the same namespace,
    /// different content a different one.
    public func withContentNamespace(prefix: String) -> SPDXDocument {
        var copy = self
        copy.documentNamespace = ""
        let digest = SHA256.hash(data: copy.jsonData()).map { String(format: "%02x", $0) }.joined()
        copy.documentNamespace = prefix + digest
        return copy
    }

    /// `YYYY-MM-DDThh:mm:ssZ` of a Unix time.
    public static func timestamp(epoch: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(epoch)))
    }

    /// An `SPDXRef-` id from free text: letters, digits, `.` and `-` kept, runs of others made one `-`.
    public static func identifier(_ prefix: String, _ text: String) -> String {
        var result = ""
        for character in text {
            if character.isASCII && (character.isLetter || character.isNumber || character == "." || character == "-") {
                result.append(character)
            } else if !result.isEmpty && result.last != "-" {
                result.append("-")
            }
        }
        while result.hasSuffix("-") { result.removeLast() }
        return "SPDXRef-" + prefix + (result.isEmpty ? "" : "-" + result)
    }
}
