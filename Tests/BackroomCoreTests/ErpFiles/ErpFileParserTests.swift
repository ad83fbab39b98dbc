import BackroomCore
import Testing

struct ErpFileParserTests {
    static func parse(_ name: String, _ text: String) -> Result<ErpImport, ErpFileProblem> {
        ErpFileParser.parse(fileName: name, contents: Array(text.utf8))
    }

    @Test func productsComeAsAJSONArrayAJSONLinesFileOrCSV() throws {
        let expected = [ErpImport.Product(id: "A-1", name: "Anorak"), ErpImport.Product(id: "B-2", name: "")]
        #expect(try Self.parse("p.json", #"[{"id": "A-1", "name": "Anorak"}, {"id": "B-2"}]"#).get().products == expected)
        #expect(try Self.parse("p.JSON", "{\"id\": \"A-1\", \"name\": \"Anorak\"}\n\n{\"id\": \"B-2\", \"name\": null}\n").get().products == expected)
        #expect(try Self.parse("p.csv", "name,id\r\n\"Anorak\",A-1\r\n,B-2\r\n").get().products == expected)
    }

    @Test func countsAndReceiptsKeepTheirLines() throws {
        let counts = try Self.parse("c.csv", "shop,id,counted\n10010,A-1,7\n\n10020,\"B,2\",0\n").get()
        #expect(
            counts.counts == [
                ErpImport.StockLine(shop: 10010, product: "A-1", quantity: 7, line: 2),
                ErpImport.StockLine(shop: 10020, product: "B,2", quantity: 0, line: 4),
            ]
        )
        #expect(counts.shops == [10010: 2, 10020: 4])
        let receipts = try Self.parse("r.csv", "id,qty,shop\nA-1,3,10010\n").get()
        #expect(receipts.receipts == [ErpImport.StockLine(shop: 10010, product: "A-1", quantity: 3, line: 2)])
        #expect(receipts.changes == 1)
    }

    @Test(arguments: [
        ("r.csv", "shop,id,qty\n10010,A-1,3\n10010,A-1,0\n", 3, "qty must be from 1 to 1000000000000, not 0"),
        ("r.csv", "shop,id,qty\n10010,A-1,9223372036854775807\n", 2, "qty must be from 1 to 1000000000000, not 9223372036854775807"),
        ("r.csv", "shop,id,qty\n10010,A-1,3\nx,A-1,1\n", 3, "shop must be a whole number"),
        ("c.csv", "shop,id,counted\n10010,A-1,-1\n", 2, "counted must be from 0 to 1000000000000, not -1"),
        ("c.csv", "shop,id,counted\n10010,,1\n", 2, "id must be 1 to 255 characters"),
        ("c.csv", "shop,id,counted\n10010,A-1\n", 2, "expected 3 fields, found 2"),
        ("c.csv", "shop,id,counted\n10010,\"A-1,1\n", 2, "a quoted field is not closed"),
        ("x.csv", "\nshop,sku,qty\n", 2, "the header must be id,name or shop,id,counted or shop,id,qty, not shop,sku,qty"),
        ("p.json", "{\"id\": \"A\"}\n{\"id\": 5}\n", 2, "id must be a string"),
        ("p.json", "{\"id\": \"A\"}\n{\"id\": \"B\"\n", 2, "not valid JSON"),
        ("p.json", "[{\"id\": \"A\"},\n {\"id\": ]", 2, "not valid JSON"),
    ])
    func aBadLineIsNamedWithWhatIsWrong(_ name: String, _ text: String, _ line: Int, _ reason: String) {
        #expect(Self.parse(name, text) == .failure(ErpFileProblem(line: line, reason)))
    }

    @Test func otherFilesAreRefusedWhole() {
        #expect(Self.parse("p.xml", "<a/>") == .failure(ErpFileProblem(line: nil, "only .json and .csv files are read")))
        #expect(Self.parse("p.json", #"[{"id": "A"}, {"name": "x"}]"#) == .failure(ErpFileProblem(line: nil, "product 2: id must be a string")))
        #expect(ErpFileParser.parse(fileName: "p.csv", contents: [0xFF, 0xFE]) == .failure(ErpFileProblem(line: nil, "the file is not UTF-8 text")))
        #expect(Self.parse("e.csv", "") == .failure(ErpFileProblem(line: nil, "the file is empty")))
    }
}
