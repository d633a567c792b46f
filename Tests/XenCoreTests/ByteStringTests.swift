// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
import XenCore

/// Text from xenstore and the command line is compared, keyed and split by its
/// UTF-8 bytes, as xenstored does: two byte strings Unicode calls equivalent
/// stay different, and bytes that are not UTF-8 do not confuse the helpers.
@Suite struct ByteStringTests {
    static let precomposed = "caf\u{E9}"      // é as one scalar (NFC)
    static let decomposed = "cafe\u{301}"     // e + combining acute (NFD)

    @Test func equalityIsByteWiseNotCanonicalEquivalence() {
        #expect(Self.precomposed == Self.decomposed, "Swift's String == follows Unicode")
        #expect(!Self.precomposed.bytesEqual(Self.decomposed))
        #expect(ByteString(Self.precomposed) != ByteString(Self.decomposed))
        #expect(Self.decomposed.bytesEqual("cafe\u{301}"))
        #expect(["a", Self.precomposed].containsBytes(Self.precomposed))
        #expect(!["a", Self.precomposed].containsBytes(Self.decomposed))
    }

    @Test func dictionaryKeysDoNotMergeEquivalentText() {
        var keys: [ByteString: Int] = [:]
        keys[ByteString(Self.precomposed)] = 1
        keys[ByteString(Self.decomposed)] = 2
        #expect(keys.count == 2)
        #expect(keys[ByteString("caf\u{E9}")] == 1)
    }

    @Test func orderIsByteOrder() {
        #expect(ByteString("B") < ByteString("a"))
        #expect(ByteString("/a/b") < ByteString("/a/b/c"))
        #expect(ByteString("z") < ByteString("\u{E9}"))  // 0x7a < 0xc3
        #expect([ByteString("b"), "a", "B"].sorted() == ["B", "a", "b"])
    }

    @Test func prefixSuffixAndCombiningMarks() {
        // A combining mark after the prefix makes another Character, not other bytes.
        #expect(!Self.decomposed.hasPrefix("cafe"), "Swift's hasPrefix works on Characters")
        #expect(Self.decomposed.bytesHavePrefix("cafe"))
        #expect("-\u{301}x".bytesHavePrefix("-"))
        #expect("abc/".bytesHaveSuffix("/"))
        #expect(!"a".bytesHaveSuffix("ab"))
        #expect("".bytesHaveSuffix(""))
        #expect(ByteString("fe:/x").hasPrefix("fe:"))
        #expect(ByteString("fe:/x").dropFirst(3) == "/x")
        #expect(ByteString("a.ko").dropLast(3) == "a")
    }

    @Test func splitOnBytesKeepsOrDropsEmptyPieces() {
        #expect(ByteString("44100,,48000,").split(UInt8(ascii: ",")) == ["44100", "48000"])
        #expect(ByteString(",a,,b").split(UInt8(ascii: ","), keepingEmpty: true) == ["", "a", "", "b"])
        // ",\u{301}" is one Character, so String.split(separator: ",") would not split here.
        #expect(ByteString("1,\u{301}2").split(UInt8(ascii: ",")) == ["1", "\u{301}2"])
    }

    @Test func invalidUTF8IsKeptAsBytesAndRepairedOnlyAsString() {
        let bytes = ByteString(bytes: [0x61, 0xFF, 0xC3])
        #expect(bytes.bytes == [0x61, 0xFF, 0xC3])
        #expect(bytes.string == "a\u{FFFD}\u{FFFD}")
        #expect(bytes.split(0xFF) == [ByteString(bytes: [0x61]), ByteString(bytes: [0xC3])])
        #expect(bytes.firstIndex(of: 0xC3) == 2)
    }

    @Test func pathsAreWithinOnlyByTheirBytes() {
        #expect(XenPath.isWithin("/local/domain/2/device/vkbd/0", "/local/domain/2"))
        #expect(XenPath.isWithin("/local/domain/2/", "/local/domain/2/"))
        #expect(!XenPath.isWithin("/local/domain/2\u{301}/device", "/local/domain/2"))
        #expect(!XenPath.isWithin("/local/domain/\(Self.decomposed)/x", "/local/domain/\(Self.precomposed)"))
        #expect(XenPath.join("/a/", "b") == "/a/b")
        #expect(XenPath.join("/a", "b") == "/a/b")
    }

    @Test func guestBindingsMatchExactBytes() {
        let bindings = GuestBindings([GuestBinding(guest: "guest2", id: Self.precomposed, direction: "p", target: "hw:0")])
        #expect(bindings.target(guest: "guest2", id: Self.precomposed, direction: "p") == "hw:0")
        #expect(bindings.target(guest: "guest2", id: Self.decomposed, direction: "p") == nil)
        #expect(bindings.target(guest: "guest2", id: Self.precomposed, direction: "c") == nil)
    }
}
