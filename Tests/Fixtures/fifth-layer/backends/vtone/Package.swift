// swift-tools-version: 6.1
// SPDX-License-Identifier: MIT
// The fifth-layer fixture's backend package: a vendor package as a product repo
// would keep one (docs/layer-contract.md), built by `driverdom build` with its
// Embedded Swift SDK. driverdom sets DRIVERDOM_PACKAGE to the driverdom package
// it uses; the fallback is the checkout this fixture lives in.
import PackageDescription

let driverdom = Context.environment["DRIVERDOM_PACKAGE"] ?? "../../../../.."

let package = Package(
    name: "vtone",
    dependencies: [.package(name: "driverdom", path: driverdom)],
    targets: [
        .executableTarget(name: "vtone-backend", dependencies: [
            .product(name: "CLinux", package: "driverdom"),
            .product(name: "XenCore", package: "driverdom"),
            .product(name: "XenLinux", package: "driverdom"),
        ]),
    ]
)
