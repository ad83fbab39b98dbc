/// Reads the files the ERP drops in `in/`. `*.json` is products: a JSON array of
/// `{"id": "...", "name": "..."}`, or one such object per line (JSON Lines). `*.csv` has a
/// header naming its columns, which say what it is: `id,name` products, `shop,id,counted` stock
/// counts, `shop,id,qty` goods received. Fields may be double-quoted; empty lines are skipped.
public enum ErpFileParser {
    public static func parse(fileName: String, contents: [UInt8]) -> Result<ErpImport, ErpFileProblem> {
        guard let text = String(validating: contents, as: UTF8.self) else { return .failure(ErpFileProblem(line: nil, "the file is not UTF-8 text")) }
        let lower = fileName.lowercased()
        do {
            if lower.hasSuffix(".json") { return .success(try products(json: text)) }
            if lower.hasSuffix(".csv") { return .success(try csv(text)) }
            return .failure(ErpFileProblem(line: nil, "only .json and .csv files are read"))
        } catch let problem as ErpFileProblem {
            return .failure(problem)
        } catch {
            return .failure(ErpFileProblem(line: nil, "\(error)"))
        }
    }

    // MARK: JSON

    private static func products(json text: String) throws -> ErpImport {
        let trimmed = text.drop { $0.isWhitespace }
        if trimmed.first == "[" {
            let value: JSONValue
            do {
                value = try JSONReader.read(Array(text.utf8))
            } catch {
                throw ErpFileProblem(line: line(ofByte: error.offset, in: text), "not valid JSON")
            }
            guard case .array(let items) = value else { throw ErpFileProblem(line: 1, "expected an array of products") }
            // An array read whole has no lines left: its items are named by position.
            return ErpImport(
                products: try items.enumerated().map { index, item in
                    do { return try product(item) } catch let problem as ErpFileProblem {
                        throw ErpFileProblem(line: nil, "product \(index + 1): \(problem.reason)")
                    }
                }
            )
        }
        var products: [ErpImport.Product] = []
        for (index, line) in lines(text) where !line.allSatisfy(\.isWhitespace) {
            let value: JSONValue
            do { value = try JSONReader.read(Array(line.utf8)) } catch { throw ErpFileProblem(line: index, "not valid JSON") }
            do { products.append(try product(value)) } catch let problem as ErpFileProblem { throw ErpFileProblem(line: index, problem.reason) }
        }
        return ErpImport(products: products)
    }

    private static func product(_ value: JSONValue) throws -> ErpImport.Product {
        guard case .object = value else { throw ErpFileProblem(line: nil, "expected an object with id and name") }
        guard case .string(let id) = value["id"] else { throw ErpFileProblem(line: nil, "id must be a string") }
        try checkProduct(id)
        let name: String
        switch value["name"] {
        case .string(let text)?: name = text
        case nil, .null?: name = ""
        default: throw ErpFileProblem(line: nil, "name must be a string")
        }
        return ErpImport.Product(id: id, name: name)
    }

    // MARK: CSV

    private enum Kind {
        case products, counts, receipts

        init?(columns: Set<String>) {
            switch columns {
            case ["id", "name"]: self = .products
            case ["shop", "id", "counted"]: self = .counts
            case ["shop", "id", "qty"]: self = .receipts
            default: return nil
            }
        }
    }

    private static func csv(_ text: String) throws -> ErpImport {
        var rows = lines(text).filter { !$0.text.allSatisfy(\.isWhitespace) }.makeIterator()
        guard let (headerLine, headerText) = rows.next() else { throw ErpFileProblem(line: nil, "the file is empty") }
        let header = try fields(headerText, line: headerLine).map { $0.trimmingOptionalWhitespace.lowercased() }
        guard Set(header).count == header.count, let kind = Kind(columns: Set(header)) else {
            throw ErpFileProblem(line: headerLine, "the header must be id,name or shop,id,counted or shop,id,qty, not \(headerText)")
        }
        var result = ErpImport()
        while let (number, text) = rows.next() {
            let values = try fields(text, line: number)
            guard values.count == header.count else {
                throw ErpFileProblem(line: number, "expected \(header.count) fields, found \(values.count)")
            }
            let row = Dictionary(uniqueKeysWithValues: zip(header, values))
            let id = row["id"] ?? ""
            do { try checkProduct(id) } catch let problem as ErpFileProblem { throw ErpFileProblem(line: number, problem.reason) }
            switch kind {
            case .products:
                result.products.append(ErpImport.Product(id: id, name: row["name"] ?? ""))
            case .counts:
                let counted = try integer(row["counted"], named: "counted", line: number, minimum: 0)
                result.counts.append(ErpImport.StockLine(shop: try shop(row["shop"], line: number), product: id, quantity: counted, line: number))
            case .receipts:
                let qty = try integer(row["qty"], named: "qty", line: number, minimum: 1)
                result.receipts.append(ErpImport.StockLine(shop: try shop(row["shop"], line: number), product: id, quantity: qty, line: number))
            }
        }
        return result
    }

    /// A CSV line's fields; a field in double quotes may hold commas and `""` for a quote.
    private static func fields(_ line: String, line number: Int) throws -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var characters = line[...]
        while let character = characters.popFirst() {
            switch (character, quoted) {
            case ("\"", true) where characters.first == "\"":
                characters.removeFirst()
                current.append("\"")
            case ("\"", true): quoted = false
            case ("\"", false) where current.trimmingOptionalWhitespace.isEmpty:
                quoted = true
                current = ""
            case (",", false):
                fields.append(current)
                current = ""
            default: current.append(character)
            }
        }
        guard !quoted else { throw ErpFileProblem(line: number, "a quoted field is not closed") }
        fields.append(current)
        return fields
    }

    private static func shop(_ text: String?, line: Int) throws -> Int {
        guard let text, let shop = Int(text.trimmingOptionalWhitespace) else { throw ErpFileProblem(line: line, "shop must be a whole number") }
        return shop
    }

    private static func integer(_ text: String?, named name: String, line: Int, minimum: Int64) throws -> Int64 {
        guard let text, let value = Int64(text.trimmingOptionalWhitespace) else { throw ErpFileProblem(line: line, "\(name) must be a whole number") }
        let maximum = StockSetting.maximumQuantity
        guard (minimum...maximum).contains(value) else {
            throw ErpFileProblem(line: line, "\(name) must be from \(minimum) to \(maximum), not \(value)")
        }
        return value
    }

    private static func checkProduct(_ id: String) throws {
        guard ProductID.isValid(id) else {
            throw ErpFileProblem(line: nil, "id must be 1 to \(ProductID.maximumLength) characters")
        }
    }

    /// The text's lines with their numbers from 1; `\r\n`, one character in Swift, ends a line too.
    private static func lines(_ text: String) -> [(number: Int, text: String)] {
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated().map { index, line in
            (index + 1, String(line))
        }
    }

    private static func line(ofByte offset: Int, in text: String) -> Int {
        text.utf8.prefix(offset).reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }
}
