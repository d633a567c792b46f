// SPDX-License-Identifier: Apache-2.0
import Testing
@testable import DriverdomConfig

@Test func packageBuilds() { #expect(Bool(true)) }
