/// Checks a request body for what Foundation's `JSONDecoder` lets through silently: a key given
/// twice in one object (the decoder keeps the first, so `"kind":"sale","kind":"stock_in"` would
/// record a sale while a proxy or log may read a stock-in) and numbers with a fraction or an
/// exponent (`5.0`, `1e3`: every number in this API is whole, and quantities and money travel as
/// strings so that they stay exact).
///
/// It reads the body once, without building anything. Syntax errors are left to the decoder, which
/// reports them; this only refuses what would otherwise be accepted.
enum StrictJSON {
    static func check(_ bytes: some Collection<UInt8>) throws(RequestError) {
        var scanner = Scanner(bytes: Array(bytes))
        try scanner.scan()
    }

    private enum Container {
        case object(keys: Set<String>, key: String?)
        case array(index: Int)
    }

    private struct Scanner {
        let bytes: [UInt8]
        var position = 0
        var containers: [Container] = []

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        mutating func scan() throws(RequestError) {
            while position < bytes.count {
                let byte = bytes[position]
                switch byte {
                case UInt8(ascii: "{"):
                    containers.append(.object(keys: [], key: nil))
                    position += 1
                case UInt8(ascii: "["):
                    containers.append(.array(index: 0))
                    position += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard containers.popLast() != nil else { return }
                    position += 1
                    valueEnded()
                case UInt8(ascii: ","):
                    if case .array(let index) = containers.last {
                        containers[containers.count - 1] = .array(index: index + 1)
                    }
                    position += 1
                case UInt8(ascii: "\""):
                    // In an object, a string where no key is pending is the next key.
                    if case .object(var keys, nil) = containers.last {
                        guard let key = readString(decoding: true) else { return }
                        guard keys.insert(key).inserted else {
                            throw .malformed("the key \"\(key.prefix(64))\" appears twice in \(path())")
                        }
                        containers[containers.count - 1] = .object(keys: keys, key: key)
                    } else {
                        guard readString(decoding: false) != nil else { return }
                        valueEnded()
                    }
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    var whole = true
                    while position < bytes.count, Self.isNumberByte(bytes[position]) {
                        if [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[position]) {
                            whole = false
                        }
                        position += 1
                    }
                    guard whole else {
                        throw .unprocessable(
                            field: path(),
                            reason:
                                "must be a whole number (no fraction or exponent); write a decimal as a string such as \"1.250\""
                        )
                    }
                    valueEnded()
                case UInt8(ascii: ":"), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    position += 1
                default:
                    // true, false or null; anything else is not JSON, for the decoder to report.
                    guard Self.isLetter(byte) else { return }
                    while position < bytes.count, Self.isLetter(bytes[position]) { position += 1 }
                    valueEnded()
                }
            }
        }

        /// After a value inside an object, the next string is a key again.
        private mutating func valueEnded() {
            if case .object(let keys, .some) = containers.last {
                containers[containers.count - 1] = .object(keys: keys, key: nil)
            }
        }

        /// Reads the string starting at `position` (a quote); its text when `decoding` (escapes
        /// decoded, so `"ki\u006ed"` is `kind`), else empty; nil when it never ends.
        private mutating func readString(decoding: Bool) -> String? {
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            position += 1
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    position += 1
                    scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                    return String(scalars)
                }
                if byte == UInt8(ascii: "\\") {
                    scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                    raw.removeAll(keepingCapacity: true)
                    guard let scalar = readEscape() else { return nil }
                    if decoding { scalars.append(scalar) }
                    continue
                }
                if decoding { raw.append(byte) }
                position += 1
            }
            return nil
        }

        /// Reads one escape at `position` (a backslash); a lone surrogate decodes as U+FFFD.
        private mutating func readEscape() -> Unicode.Scalar? {
            guard position + 1 < bytes.count else { return nil }
            let letter = bytes[position + 1]
            position += 2
            switch letter {
            case UInt8(ascii: "b"): return "\u{8}"
            case UInt8(ascii: "f"): return "\u{c}"
            case UInt8(ascii: "n"): return "\n"
            case UInt8(ascii: "r"): return "\r"
            case UInt8(ascii: "t"): return "\t"
            case UInt8(ascii: "u"):
                guard let high = readHex() else { return nil }
                if (0xD800..<0xDC00).contains(high), position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                {
                    position += 2
                    guard let low = readHex() else { return nil }
                    if (0xDC00..<0xE000).contains(low) {
                        return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                    }
                }
                return Unicode.Scalar(high) ?? "\u{FFFD}"
            default: return Unicode.Scalar(letter)
            }
        }

        private mutating func readHex() -> UInt32? {
            guard position + 4 <= bytes.count,
                let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
            else { return nil }
            position += 4
            return value
        }

        /// `movements[2].quantity`: where the scanner is, for error messages.
        private func path() -> String {
            var path = ""
            for container in containers {
                switch container {
                case .object(_, let key?): path += path.isEmpty ? key : ".\(key)"
                case .object: break
                case .array(let index): path += "[\(index)]"
                }
            }
            return path.isEmpty ? "body" : path
        }

        private static func isNumberByte(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || [UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")]
                    .contains(byte)
        }

        private static func isLetter(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        }
    }
}
