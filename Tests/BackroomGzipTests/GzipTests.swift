import BackroomGzip
import Foundation
import Testing

struct GzipTests {
    @Test(arguments: [0, 1, 1000, 300_000])
    func whatIsCompressedDecompressesToTheSameBytes(_ size: Int) throws {
        let text = Array(
            String(repeating: #"{"origin":"VALLBLANCA","sequence":17,"id":"SKU-00001","qty":-1},"#, count: size / 60 + 1).utf8.prefix(size)
        )
        let compressed = try Gzip.compress(text)
        #expect(compressed.starts(with: [0x1f, 0x8b]), "a gzip header")
        if size >= 1000 { #expect(compressed.count * 5 < text.count) }
        #expect(try Gzip.decompress(compressed, limit: size) == text)
    }

    @Test func aBombOrBrokenStreamIsRefused() throws {
        let zeros = try Gzip.compress([UInt8](repeating: 0, count: 1_000_000))
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(zeros, limit: 100_000) }
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(Array(zeros.prefix(zeros.count / 2)), limit: 10_000_000) }
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(Array("not gzip".utf8), limit: 1000) }
    }
}
