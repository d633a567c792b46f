// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// One key transition as evdev reports it: `value` 1 press, 0 release.
package struct KeyTransition: Equatable, Sendable {
    package var code: UInt16
    package var value: Int32

    package init(code: UInt16, value: Int32) {
        self.code = code
        self.value = value
    }
}

/// One absolute pointer position.
package struct PointerPosition: Equatable, Sendable {
    package var x: Int32
    package var y: Int32

    package init(x: Int32, y: Int32) {
        self.x = x
        self.y = y
    }
}

/// The input the kbdif end-to-end check injects in DomD (through uinput, into
/// the backend's evdev device) and expects to read in the guest (from
/// xen-kbdfront's evdev devices).
///
/// One run is: ESC, the number row and letter rows, ENTER — each pressed and
/// released — and four pointer positions whose x and y all differ from their
/// neighbours (evdev drops an axis value equal to the previous one). The injector
/// repeats the run, so a guest that opens its devices late still sees a whole run.
package enum KbdifProbe {
    package static let evSyn: UInt16 = 0
    package static let evKey: UInt16 = 1
    package static let evAbs: UInt16 = 3
    package static let absX: UInt16 = 0
    package static let absY: UInt16 = 1
    /// KEY_ESC: the first key of a run.
    package static let startKey: UInt16 = 1
    /// KEY_ENTER: the last key of a run.
    package static let endKey: UInt16 = 28
    /// Keys between the start and end keys: KEY_1…KEY_0, KEY_Q…KEY_P, KEY_A…KEY_L, KEY_Z…KEY_M.
    package static let bodyKeys: [UInt16] = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                                            16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
                                            30, 31, 32, 33, 34, 35, 36, 37, 38,
                                            44, 45, 46, 47, 48, 49, 50]
    /// Every key the injecting device declares.
    package static var allKeys: [UInt16] { [startKey] + bodyKeys + [endKey] }

    /// Key transitions of one run, in order.
    package static func keyRun() -> [KeyTransition] {
        var run: [KeyTransition] = []
        for key in allKeys {
            run.append(KeyTransition(code: key, value: 1))
            run.append(KeyTransition(code: key, value: 0))
        }
        return run
    }

    /// Pointer positions of one run, in the frontend's coordinates (1024x768).
    package static let positions: [PointerPosition] = [
        PointerPosition(x: 100, y: 200), PointerPosition(x: 512, y: 384),
        PointerPosition(x: 1000, y: 700), PointerPosition(x: 3, y: 5),
    ]
}
