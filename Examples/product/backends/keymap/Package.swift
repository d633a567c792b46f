// swift-tools-version: 6.1
// SPDX-License-Identifier: GPL-2.0-only OR MIT
// The example vendor backend package. driverdom builds it with its Embedded Swift SDK
// and sets DRIVERDOM_PACKAGE to the driverdom package it uses; the fallback is the
// checkout this example lives in.
import PackageDescription

let driverdom = Context.environment["DRIVERDOM_PACKAGE"] ?? "../../../.."

let package = Package(
    name: "keymap",
    dependencies: [.package(name: "driverdom", path: driverdom)],
    targets: [
        .executableTarget(name: "keymap-backend", dependencies: [
            .product(name: "CLinux", package: "driverdom"),
            .product(name: "XenCore", package: "driverdom"),
            .product(name: "XenLinux", package: "driverdom"),
            .product(name: "KbdIf", package: "driverdom"),
            .product(name: "EvdevInput", package: "driverdom"),
        ]),
    ]
)
