// swift-tools-version: 6.1
// SPDX-License-Identifier: MIT
// A vendor backend package outside the driverdom checkout: its executable uses
// driverdom's device libraries; driverdom names its own package in DRIVERDOM_PACKAGE.
import PackageDescription

let driverdom = Context.environment["DRIVERDOM_PACKAGE"] ?? "../../../../../.."

let package = Package(
    name: "tone",
    dependencies: [.package(name: "driverdom", path: driverdom)],
    targets: [
        .executableTarget(name: "tone-backend", dependencies: [
            .product(name: "XenLinux", package: "driverdom"),
            .product(name: "XenCore", package: "driverdom"),
        ]),
    ]
)
