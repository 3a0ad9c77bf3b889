import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes to stdout and stderr that never trap. Foundation's `FileHandle.write(_:)` traps when
/// a write fails, as one does (EPIPE) once the reader has gone, in a process that ignores
/// SIGPIPE: the bot runner does, and so does any child of a parent that did.
public enum StandardStream {
    /// Writes all of `data` to `descriptor`; false if the reader has gone or the write failed.
    @discardableResult
    public static func write(_ data: Data, to descriptor: Int32) -> Bool {
        data.withUnsafeBytes { bytes in
            guard var next = bytes.baseAddress else { return true }
            var left = bytes.count
            while left > 0 {
                let written = Glibc.write(descriptor, next, left)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                next += written
                left -= written
            }
            return true
        }
    }

    /// The text, UTF-8, to `descriptor`; false if the reader has gone or the write failed.
    @discardableResult
    public static func write(_ text: String, to descriptor: Int32) -> Bool {
        write(Data(text.utf8), to: descriptor)
    }
}
