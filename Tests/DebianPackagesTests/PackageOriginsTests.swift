// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing
@testable import DebianPackages

@Suite struct PackageOriginsTests {
    static let package = LockedPackage(name: "linux-headers-arm64", version: "6.1.192-2", architecture: "arm64",
                                       sha256: String(repeating: "a", count: 64), size: 1,
                                       filename: "pool/updates/main/l/linux-signed-arm64/linux-headers-arm64_6.1.192-2_arm64.deb",
                                       sets: ["kernel-source"])
    static let indexes = [
        LockedIndex(uri: "http://deb.debian.org/debian/", suite: "bookworm", date: "2026-11-08T09:15:00Z"),
        LockedIndex(uri: "http://deb.debian.org/debian-security", suite: "bookworm-security", date: "2026-12-01T18:00:00Z"),
    ]

    @Test func mirrorsComeFirstThenSnapshotThenExtraMirrors() {
        let origins = PackageOrigins(mirrors: ["http://deb.debian.org/debian", "http://deb.debian.org/debian-security/"],
                                     snapshotRoot: "http://snapshot.debian.org/archive",
                                     extraMirrors: ["https://aptly.example.com/debian/", "/srv/debs", "file:///mnt/pool"])
        let (places, skipped) = origins.places(for: Self.package, indexes: Self.indexes)
        let shown = places.map { "\($0.tier.rawValue) \($0.location)" }
        #expect(shown == [
            "image mirror http://deb.debian.org/debian/" + Self.package.filename,
            "image mirror http://deb.debian.org/debian-security/" + Self.package.filename,
            "snapshot archive http://snapshot.debian.org/archive/debian/20261108T101500Z/" + Self.package.filename,
            "snapshot archive http://snapshot.debian.org/archive/debian/20261108T151500Z/" + Self.package.filename,
            "snapshot archive http://snapshot.debian.org/archive/debian/20261108T091500Z/" + Self.package.filename,
            "snapshot archive http://snapshot.debian.org/archive/debian-security/20261201T190000Z/" + Self.package.filename,
            "snapshot archive http://snapshot.debian.org/archive/debian-security/20261202T000000Z/" + Self.package.filename,
            "snapshot archive http://snapshot.debian.org/archive/debian-security/20261201T180000Z/" + Self.package.filename,
            "extra mirror https://aptly.example.com/debian/" + Self.package.filename,
            "extra mirror /srv/debs/" + Self.package.filename,
            "extra mirror /srv/debs/linux-headers-arm64_6.1.192-2_arm64.deb",
            "extra mirror /mnt/pool/" + Self.package.filename,
            "extra mirror /mnt/pool/linux-headers-arm64_6.1.192-2_arm64.deb",
        ])
        #expect(skipped.isEmpty)
    }

    @Test func aLockWithoutIndexDatesSaysWhySnapshotWasNotAsked() {
        let origins = PackageOrigins(mirrors: ["http://deb.debian.org/debian"])
        let (places, skipped) = origins.places(for: Self.package, indexes: nil)
        #expect(places.count == 1)
        #expect(skipped.count == 2)
        #expect(skipped[0].contains("the lock records no index dates"))
        #expect(skipped[1].contains(PackageOrigins.extraMirrorsVariable))
    }

    @Test func theEnvironmentAddsExtraMirrorsAndCanTurnSnapshotOff() {
        let sources = [AptSource(uri: "http://deb.debian.org/debian", suites: ["bookworm"], components: ["main"])]
        let origins = PackageOrigins.forSources(sources, extraMirrors: ["/srv/a"], environment: [
            PackageOrigins.extraMirrorsVariable: " http://m.example/debian  /srv/b\n",
            PackageOrigins.snapshotVariable: "none",
        ])
        #expect(origins.mirrors == ["http://deb.debian.org/debian"])
        #expect(origins.extraMirrors == ["/srv/a", "http://m.example/debian", "/srv/b"])
        #expect(origins.snapshotRoot == nil)
        #expect(PackageOrigins.forSources(sources, environment: [:]).snapshotRoot == PackageOrigins.defaultSnapshotRoot)
    }

    @Test(arguments: [
        ("Sat, 05 Dec 2026 08:30:12 UTC", "2026-12-05T08:30:12Z"),
        ("Tue, 01 Dec 2026 23:59:59 +0000", "2026-12-01T23:59:59Z"),
    ])
    func releaseDatesBecomeISODates(release: String, iso: String) {
        #expect(LockedIndex.isoDate(fromReleaseDate: release) == iso)
    }

    @Test func aReleaseDateThatDoesNotParseIsNil() {
        #expect(LockedIndex.isoDate(fromReleaseDate: "yesterday") == nil)
        #expect(LockedIndex(uri: "http://m/debian", suite: "s", date: "garbage").snapshotTimestamps.isEmpty)
    }
}

@Suite struct CurlPackageDownloaderTests {
    @Test func localAndFileURLTransfersSayWhyTheyFailed() throws {
        let folder = try TemporaryFolder()
        let source = folder.url.appendingPathComponent("present.deb")
        try Data("bytes".utf8).write(to: source)
        let staging = folder.url.appendingPathComponent("staging")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        let transfers = [
            PackageTransfer(place: PackagePlace(tier: .extra, location: .local(source.path)),
                            destination: staging.appendingPathComponent("a.deb")),
            PackageTransfer(place: PackagePlace(tier: .extra, location: .local(folder.url.path + "/absent.deb")),
                            destination: staging.appendingPathComponent("b.deb")),
            PackageTransfer(place: PackagePlace(tier: .mirror, location: .remote(source.absoluteString)),
                            destination: staging.appendingPathComponent("c.deb")),
            PackageTransfer(place: PackagePlace(tier: .mirror, location: .remote(folder.url.absoluteString + "absent.deb")),
                            destination: staging.appendingPathComponent("d.deb")),
        ]
        let results = CurlPackageDownloader().fetch(transfers)
        #expect(results[0] == nil)
        #expect(results[1] == "no such file")
        #expect(results[2] == nil)
        #expect(results[3]?.isEmpty == false)
        #expect(try Data(contentsOf: staging.appendingPathComponent("c.deb")) == Data("bytes".utf8))
        #expect(!FileManager.default.fileExists(atPath: staging.appendingPathComponent("d.deb").path))
    }
}
