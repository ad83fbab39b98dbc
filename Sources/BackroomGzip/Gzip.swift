import CZlib

/// gzip (RFC 1952) over zlib, for sync batches: movements compress about tenfold.
public enum Gzip {
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    public static func compress(_ input: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        // 15 window bits + 16: a gzip wrapper rather than a raw zlib one.
        guard
            deflateInit2_(
                &stream,
                Z_DEFAULT_COMPRESSION,
                Z_DEFLATED,
                15 + 16,
                8,
                Z_DEFAULT_STRATEGY,
                ZLIB_VERSION,
                Int32(MemoryLayout<z_stream>.size)
            ) == Z_OK
        else { throw Failure(description: "cannot start compressing") }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))))
        var source = input
        let status = source.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.next_in = inputBuffer.baseAddress
                stream.avail_in = UInt32(inputBuffer.count)
                stream.next_out = outputBuffer.baseAddress
                stream.avail_out = UInt32(outputBuffer.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw Failure(description: "cannot compress (zlib status \(status))") }
        output.removeLast(Int(stream.avail_out))
        return output
    }

    /// The decompressed bytes; fails on anything that is not one whole gzip stream, or that
    /// would grow beyond `limit` bytes (a small body must not become a huge one in memory).
    public static func decompress(_ input: [UInt8], limit: Int) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { throw Failure(description: "cannot start decompressing") }
        defer { inflateEnd(&stream) }
        var source = input
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var status: Int32 = Z_OK
        try source.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = UInt32(inputBuffer.count)
            while status != Z_STREAM_END {
                let produced = chunk.withUnsafeMutableBufferPointer { chunkBuffer -> Int in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = UInt32(chunkBuffer.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return chunkBuffer.count - Int(stream.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END, produced > 0 || status == Z_STREAM_END else {
                    throw Failure(description: "not a whole gzip stream")
                }
                output += chunk[..<produced]
                guard output.count <= limit else { throw Failure(description: "more than \(limit) bytes once decompressed") }
            }
        }
        return output
    }
}
