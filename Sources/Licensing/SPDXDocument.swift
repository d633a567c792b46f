// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation

/// An SPDX 2.3 document in its JSON form (SPDX 2.3 specification, clauses 6–11),
/// with the fields driverdom writes. Encoded with sorted keys and no
/// timestamps but `created`, so equal content gives equal bytes.
package struct SPDXDocument: Codable, Equatable, Sendable {
    package var spdxVersion = "SPDX-2.3"
    package var dataLicense = "CC0-1.0"
    package var SPDXID = "SPDXRef-DOCUMENT"
    package var name: String
    /// A URI unique to this document's content (see ``withContentNamespace(prefix:)``).
    package var documentNamespace: String
    package var creationInfo: CreationInfo
    package var comment: String?
    package var packages: [Package]
    package var files: [File]
    package var hasExtractedLicensingInfos: [ExtractedLicensingInfo]?
    package var relationships: [Relationship]

    /// Creates a document; its namespace is set by ``withContentNamespace(prefix:)``.
    package init(name: String, creationInfo: CreationInfo, comment: String?, packages: [Package], files: [File],
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
    package struct CreationInfo: Codable, Equatable, Sendable {
        /// ISO 8601 UTC time, `YYYY-MM-DDThh:mm:ssZ`.
        package var created: String
        /// `Tool: …`, `Organization: …` or `Person: …`.
        package var creators: [String]
        package var licenseListVersion: String?
        package init(created: String, creators: [String], licenseListVersion: String?) {
            self.created = created
            self.creators = creators
            self.licenseListVersion = licenseListVersion
        }
    }

    /// A checksum (algorithm `SHA1`, `SHA256`, …, value in lowercase hex).
    package struct Checksum: Codable, Equatable, Sendable {
        package var algorithm: String
        package var checksumValue: String
        package init(algorithm: String, checksumValue: String) {
            self.algorithm = algorithm
            self.checksumValue = checksumValue
        }
    }

    /// An external reference of a package (e.g. its purl).
    package struct ExternalReference: Codable, Equatable, Sendable {
        package var referenceCategory: String
        package var referenceType: String
        package var referenceLocator: String
        package init(referenceCategory: String, referenceType: String, referenceLocator: String) {
            self.referenceCategory = referenceCategory
            self.referenceType = referenceType
            self.referenceLocator = referenceLocator
        }
    }

    /// A package (clause 7).
    package struct Package: Codable, Equatable, Sendable {
        package var SPDXID: String
        package var name: String
        package var versionInfo: String?
        package var supplier: String?
        package var originator: String?
        package var downloadLocation: String
        package var filesAnalyzed: Bool
        /// Required when `filesAnalyzed` (clause 7.9).
        package var packageVerificationCode: VerificationCode?
        package var checksums: [Checksum]?
        package var sourceInfo: String?
        package var licenseConcluded: String
        package var licenseDeclared: String
        package var licenseComments: String?
        package var copyrightText: String
        package var comment: String?
        package var primaryPackagePurpose: String?
        package var externalRefs: [ExternalReference]?

        /// Creates a package with nothing asserted about its licenses or download.
        package init(SPDXID: String, name: String, versionInfo: String?, supplier: String?) {
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
    package struct VerificationCode: Codable, Equatable, Sendable {
        package var packageVerificationCodeValue: String
        package init(packageVerificationCodeValue: String) {
            self.packageVerificationCodeValue = packageVerificationCodeValue
        }
    }

    /// A file (clause 8).
    package struct File: Codable, Equatable, Sendable {
        package var SPDXID: String
        /// Relative to its package's root, starting with `./`.
        package var fileName: String
        package var checksums: [Checksum]
        package var fileTypes: [String]?
        package var licenseConcluded: String?
        package var copyrightText: String?
        package var comment: String?

        package init(SPDXID: String, fileName: String, checksums: [Checksum], fileTypes: [String]?, comment: String?) {
            self.SPDXID = SPDXID
            self.fileName = fileName
            self.checksums = checksums
            self.fileTypes = fileTypes
            self.comment = comment
        }
    }

    /// A license not on the SPDX list (clause 10).
    package struct ExtractedLicensingInfo: Codable, Equatable, Sendable {
        package var licenseId: String
        package var name: String
        package var extractedText: String
        package init(licenseId: String, name: String, extractedText: String) {
            self.licenseId = licenseId
            self.name = name
            self.extractedText = extractedText
        }
    }

    /// A relationship between two elements (clause 11).
    package struct Relationship: Codable, Equatable, Sendable {
        package var spdxElementId: String
        package var relationshipType: String
        package var relatedSpdxElement: String
        package init(_ element: String, _ type: String, _ related: String) {
            spdxElementId = element
            relationshipType = type
            relatedSpdxElement = related
        }
    }

    /// The JSON encoding: sorted keys, two-space indentation, trailing newline.
    package func jsonData() -> Data {
        // Strings, booleans and arrays of them: encoding cannot fail.
        (try? CanonicalJSON.encode(self)) ?? Data()
    }

    /// The document with its namespace `prefix` + the SHA256 of its encoding
    /// without a namespace: the same content always gets the same namespace,
    /// different content a different one.
    package func withContentNamespace(prefix: String) -> SPDXDocument {
        var copy = self
        copy.documentNamespace = ""
        let digest = SHA256.hash(data: copy.jsonData()).map { String(format: "%02x", $0) }.joined()
        copy.documentNamespace = prefix + digest
        return copy
    }

    /// `YYYY-MM-DDThh:mm:ssZ` of a Unix time.
    package static func timestamp(epoch: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(epoch)))
    }

    /// An `SPDXRef-` id from free text: letters, digits, `.` and `-` kept, runs of others made one `-`.
    package static func identifier(_ prefix: String, _ text: String) -> String {
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
