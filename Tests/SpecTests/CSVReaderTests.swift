import Foundation
import Spec
import Testing

/// Reads CSV text and returns the table plus the diagnostics.
func readCSV(_ text: String, maxBytes: Int = 5 * 1024 * 1024) -> (table: CSVTable?, diagnostics: [Diagnostic]) {
    readCSV(Data(text.utf8), maxBytes: maxBytes)
}

func readCSV(_ data: Data, maxBytes: Int = 5 * 1024 * 1024) -> (table: CSVTable?, diagnostics: [Diagnostic]) {
    var diagnostics = Diagnostics()
    let table = CSVReader.read(data, file: "r.csv", maxBytes: maxBytes, diagnostics: &diagnostics)
    return (table, diagnostics.all)
}

@Suite struct CSVReaderTests {
    @Test func readsHeaderAndRowsWithLines() throws {
        let (table, diagnostics) = readCSV("email,first_name,last_name\nada@x.org,Ada,Lovelace\ngrace@x.org,Grace,Hopper\n")
        #expect(diagnostics.isEmpty)
        let csv = try #require(table)
        #expect(csv.header == ["email", "first_name", "last_name"])
        #expect(csv.rows.map(\.line) == [2, 3])
        #expect(csv.rows.map(\.fields) == [["ada@x.org", "Ada", "Lovelace"], ["grace@x.org", "Grace", "Hopper"]])
    }

    @Test func quotedFieldsWithEscapesCommasAndLineBreaks() throws {
        let text = "name,note\n\"Lovelace, Ada\",\"said \"\"hi\"\"\"\n\"Hopper\",\"two\nlines\"\nlast,\"\"\n"
        let (table, diagnostics) = readCSV(text)
        #expect(diagnostics.isEmpty)
        let csv = try #require(table)
        #expect(csv.rows.map(\.fields) == [["Lovelace, Ada", "said \"hi\""], ["Hopper", "two\nlines"], ["last", ""]])
        #expect(csv.rows.map(\.line) == [2, 3, 5])
    }

    @Test func crlfBOMAndNoTrailingNewline() throws {
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append(Data("Email,Name\r\na@x.org,\"A\r\nB\"\r\nb@x.org,C".utf8))
        let (table, diagnostics) = readCSV(data)
        #expect(diagnostics.isEmpty)
        let csv = try #require(table)
        #expect(csv.header == ["Email", "Name"])
        #expect(csv.rows.map(\.fields) == [["a@x.org", "A\r\nB"], ["b@x.org", "C"]])
        #expect(csv.rows.map(\.line) == [2, 4])
    }

    @Test func blankLinesAreSkippedAndLinesStayRight() throws {
        let (table, diagnostics) = readCSV("\n\nemail\n\na@x.org\n   \n\nb@x.org\n\n")
        #expect(diagnostics.isEmpty)
        let csv = try #require(table)
        #expect(csv.rows.map(\.fields) == [["a@x.org"], ["b@x.org"]])
        #expect(csv.rows.map(\.line) == [5, 8])
    }

    @Test func headerLookupIsCaseInsensitiveAndTrimmed() throws {
        let csv = try #require(readCSV(" Email , First_Name\na@x.org,Ada\n").table)
        #expect(csv.header == ["Email", "First_Name"])
        #expect(csv.rows[0]["email"] == "a@x.org")
        #expect(csv.rows[0]["FIRST_NAME "] == "Ada")
        #expect(csv.rows[0]["last_name"] == nil)
    }

    @Test func fieldCountMismatchIsReportedAndGoodRowsKept() throws {
        let (table, diagnostics) = readCSV("email,name\na@x.org,A\nb@x.org\nc@x.org,C,extra\nd@x.org,D\n")
        #expect(diagnostics.map(\.code) == ["csv-field-count", "csv-field-count"])
        #expect(
            diagnostics.map(\.location) == [
                Spec.SourceLocation(file: "r.csv", line: 3, column: 0), Spec.SourceLocation(file: "r.csv", line: 4, column: 0),
            ])
        #expect(diagnostics[0].message.contains("1 fields, header has 2"))
        #expect(diagnostics[1].location?.description == "r.csv:4")
        #expect(table?.rows.map(\.line) == [2, 5])
    }

    @Test func unterminatedQuoteCostsOneRow() throws {
        let (table, diagnostics) = readCSV("email,name\na@x.org,A\nb@x.org,\"B\nc@x.org,C\n")
        #expect(diagnostics.map(\.code) == ["csv-unterminated-quote"])
        #expect(diagnostics.first?.location == Spec.SourceLocation(file: "r.csv", line: 3, column: 0))
        #expect(table?.rows.map(\.fields) == [["a@x.org", "A"], ["c@x.org", "C"]])
        #expect(table?.rows.map(\.line) == [2, 4])
    }

    @Test func invalidUTF8IsReportedPerRow() throws {
        var data = Data("email,name\na@x.org,A\nb@x.org,B".utf8)
        data.append(0xFF)
        data.append(Data("\nc@x.org,C\n".utf8))
        let (table, diagnostics) = readCSV(data)
        #expect(diagnostics.map(\.code) == ["csv-invalid-utf8"])
        #expect(diagnostics.first?.location == Spec.SourceLocation(file: "r.csv", line: 3, column: 0))
        #expect(table?.rows.map(\.line) == [2, 4])
    }

    @Test(arguments: ["", "\n\n", "\u{FEFF}", "  \r\n"])
    func aFileWithoutHeaderIsEmpty(text: String) {
        let (table, diagnostics) = readCSV(text)
        #expect(table == nil)
        #expect(diagnostics.map(\.code) == ["csv-empty"])
    }

    @Test func aHeaderWithoutRowsIsAnEmptyTable() throws {
        let (table, diagnostics) = readCSV("email\n")
        #expect(diagnostics.isEmpty)
        #expect(table?.header == ["email"])
        #expect(table?.rows.isEmpty == true)
    }

    @Test func duplicateColumnsAreReportedOnTheHeaderLine() throws {
        let (table, diagnostics) = readCSV("\nemail,Name, EMAIL \na@x.org,A,b@x.org\n")
        #expect(diagnostics.map(\.code) == ["csv-duplicate-column"])
        #expect(diagnostics.first?.location == Spec.SourceLocation(file: "r.csv", line: 2, column: 0))
        #expect(diagnostics.first?.message.contains("EMAIL") == true)
        #expect(table?.rows.first?["email"] == "a@x.org")
    }

    @Test func filesOverTheLimitAreRefused() {
        let (table, diagnostics) = readCSV("email\na@x.org\n", maxBytes: 8)
        #expect(table == nil)
        #expect(diagnostics.map(\.code) == ["file-too-large"])
    }

    @Test func strayQuotesInsideFieldsAreKeptLiterally() throws {
        let csv = try #require(readCSV("a,b\nO\"Brien,\"x\"y\n").table)
        #expect(csv.rows.map(\.fields) == [["O\"Brien", "xy"]])
    }
}
