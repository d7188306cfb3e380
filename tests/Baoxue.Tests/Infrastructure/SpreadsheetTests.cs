using System.IO.Compression;
using System.Text;
using Baoxue.Infrastructure.Spreadsheets;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;

namespace Baoxue.Tests.Infrastructure;

public class SpreadsheetTests
{
    private static readonly string[] Headers = ["姓名", "身份证号", "备注", "班级"];

    static SpreadsheetTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    // ---------- xlsx ----------

    [Fact]
    public void Xlsx_round_trip_keeps_chinese_text_ids_blank_cells_and_row_numbers()
    {
        var bytes = XlsxWriter.Build("学生名单", Headers,
        [
            ["张三", "11010519491231002X", null, "高一(1)班"],
            ["李四", "110105194912310037", "", "高一(2)班"],
            ["  王五 ", "001234", "多行\n备注", null],
        ]);

        using var reader = SpreadsheetReader.Open(new MemoryStream(bytes), "学生.xlsx");
        Assert.Equal(Headers, reader.Headers);
        var rows = ReadAll(reader);

        Assert.Equal([2, 3, 4], rows.Select(r => r.RowNumber));
        Assert.Equal("张三", rows[0][0].Text);
        Assert.Equal(new SheetCell("11010519491231002X", false), rows[0][1]);
        Assert.Equal(SheetCell.Empty, rows[0][2]);
        Assert.Equal("高一(1)班", rows[0][3].Text);
        Assert.Equal(new SheetCell("110105194912310037", false), rows[1][1]);
        Assert.Equal("", rows[1][2].Text);
        Assert.Equal("王五", rows[2][0].Text);
        Assert.Equal(new SheetCell("001234", false), rows[2][1]);
        Assert.Equal("多行\n备注", rows[2][2].Text);
        Assert.Equal(3, rows[2].Count);
        Assert.True(rows[2][3].IsBlank);
    }

    [Fact]
    public async Task Streamed_workbook_is_valid_open_xml_with_title_frozen_filtered_header_widths_and_text_cells()
    {
        using var output = new MemoryStream();
        var sheet = new XlsxSheet("学生/名单", "罗源县学生名单（截至2026年12月1日）", [new("姓名", 12), new("身份证号", 22), new("备注", 30), "班级"]);
        var written = await XlsxWriter.WriteAsync(output, sheet, XlsxWriter.ToAsync(
        [
            ["张三", "11010519491231002X", "含\u0001控制字符", "一班"],
            ["李四", "350123201001011234", null, "13800001111"],
        ]));
        Assert.Equal(2, written);

        output.Position = 0;
        using var document = SpreadsheetDocument.Open(output, false);
        Assert.Empty(new OpenXmlValidator().Validate(document));
        var only = Assert.Single(document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>());
        Assert.Equal("学生_名单", only.Name!.Value);
        var worksheet = ((WorksheetPart)document.WorkbookPart.GetPartById(only.Id!)).Worksheet;
        var styles = document.WorkbookPart.WorkbookStylesPart!.Stylesheet;
        string Text(string reference)
        {
            var cell = worksheet.Descendants<Cell>().Single(c => c.CellReference == reference);
            return cell.DataType?.Value == CellValues.SharedString
                ? document.WorkbookPart!.SharedStringTablePart!.SharedStringTable.ElementAt(int.Parse(cell.InnerText)).InnerText
                : cell.InlineString?.InnerText ?? cell.CellValue?.Text ?? "";
        }
        uint NumberFormat(string reference) =>
            styles.CellFormats!.Elements<CellFormat>().ElementAt((int)worksheet.Descendants<Cell>().Single(c => c.CellReference == reference).StyleIndex!.Value).NumberFormatId!.Value;

        // The title line above the header, merged across the columns.
        Assert.Equal("罗源县学生名单（截至2026年12月1日）", Text("A1"));
        Assert.Equal("A1:D1", worksheet.Descendants<MergeCell>().Single().Reference!.Value);
        // The header frozen below it and filtered.
        Assert.Equal("姓名", Text("A2"));
        var pane = worksheet.Descendants<Pane>().Single();
        Assert.Equal(PaneStateValues.Frozen, pane.State!.Value);
        Assert.Equal(2, pane.VerticalSplit!.Value);
        Assert.Equal("A3", pane.TopLeftCell!.Value);
        Assert.StartsWith("A2:D", worksheet.Descendants<AutoFilter>().Single().Reference!.Value);
        // Widths as asked, or fitted to the header.
        var widths = worksheet.Descendants<Column>().ToDictionary(c => c.Min!.Value, c => c.Width!.Value);
        Assert.Equal(12, widths[1]);
        Assert.Equal(22, widths[2]);
        Assert.Equal(30, widths[3]);
        Assert.Equal(10, widths[4]);
        // Every value is text in the text format (49 = @): IDs and phones keep their digits, never 1.1E+17.
        Assert.Equal("11010519491231002X", Text("B3"));
        Assert.Equal("350123201001011234", Text("B4"));
        Assert.Equal("13800001111", Text("D4"));
        Assert.All(new[] { "A3", "B3", "B4", "D4" }, r => Assert.Equal(49u, NumberFormat(r)));
        Assert.Equal("含控制字符", Text("C3"));
    }

    [Fact]
    public async Task Writer_accepts_a_non_seekable_output_and_reader_skips_the_title_line()
    {
        using var buffer = new MemoryStream();
        await XlsxWriter.WriteAsync(new ForwardOnlyStream(buffer), new XlsxSheet("S", "罗源县 学生名单", [.. Headers.Select(h => new ExportColumn(h))]),
            XlsxWriter.ToAsync([["张三", "11010519491231002X"]]));

        using var reader = SpreadsheetReader.Open(new ForwardOnlyStream(new MemoryStream(buffer.ToArray())), "upload.xlsx");
        Assert.Equal(Headers, reader.Headers);
        var row = Assert.Single(ReadAll(reader));
        Assert.Equal(3, row.RowNumber);
        Assert.Equal("11010519491231002X", row[1].Text);
    }

    [Fact]
    public void Workbook_without_columns_still_opens()
    {
        using var output = new MemoryStream(XlsxWriter.Build("S", [], []));
        using var document = SpreadsheetDocument.Open(output, false);
        Assert.Single(document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>());
    }

    [Fact]
    public void Shared_strings_rich_text_phonetic_guides_and_hidden_sheets_are_read_as_excel_shows_them()
    {
        using var output = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            var strings = workbookPart.AddNewPart<SharedStringTablePart>();
            strings.SharedStringTable = new SharedStringTable(
                new SharedStringItem(new DocumentFormat.OpenXml.Spreadsheet.Text("姓名")),
                new SharedStringItem(new DocumentFormat.OpenXml.Spreadsheet.Text("身份证号")),
                // Chinese Excel keeps a pinyin guide beside the text; it is not part of the value.
                new SharedStringItem(new DocumentFormat.OpenXml.Spreadsheet.Text("林雨桐"), new PhoneticRun(new DocumentFormat.OpenXml.Spreadsheet.Text("lin yu tong")) { BaseTextStartIndex = 0, EndingBaseIndex = 3 }),
                new SharedStringItem(new Run(new DocumentFormat.OpenXml.Spreadsheet.Text("3501232010")), new Run(new DocumentFormat.OpenXml.Spreadsheet.Text("01011234"))));
            var hidden = workbookPart.AddNewPart<WorksheetPart>();
            hidden.Worksheet = new Worksheet(new SheetData(new Row(new Cell { CellReference = "A1", DataType = CellValues.SharedString, CellValue = new CellValue("0") }) { RowIndex = 1 }));
            var visible = workbookPart.AddNewPart<WorksheetPart>();
            visible.Worksheet = new Worksheet(new SheetData(
                new Row(Shared("A1", 0), Shared("B1", 1)) { RowIndex = 1 },
                new Row(Shared("A2", 2), Shared("B2", 3)) { RowIndex = 2 }));
            workbookPart.Workbook = new Workbook(new Sheets(
                new Sheet { Name = "说明", SheetId = 1, Id = workbookPart.GetIdOfPart(hidden), State = SheetStateValues.Hidden },
                new Sheet { Name = "学生", SheetId = 2, Id = workbookPart.GetIdOfPart(visible) }));
        }

        using var reader = SpreadsheetReader.Open(new MemoryStream(output.ToArray()), "学生.xlsx");
        Assert.Equal(["姓名", "身份证号"], reader.Headers);
        var row = Assert.Single(ReadAll(reader));
        Assert.Equal("林雨桐", row[0].Text);
        Assert.Equal(new SheetCell("350123201001011234", false), row[1]);

        static Cell Shared(string reference, int index) => new() { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue(index.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
    }

    [Fact]
    public void Numeric_cells_are_flagged_and_shown_without_exponent()
    {
        var bytes = WorkbookWithTypedCells();

        using var reader = SpreadsheetReader.Open(new MemoryStream(bytes), "手工.xlsx");
        Assert.Equal(["身份证号", "入学日期", "文本身份证号"], reader.Headers);
        var rows = ReadAll(reader);

        Assert.Equal(new SheetCell("350123201001011000", true), rows[0][0]); // digits already lost in Excel
        Assert.Equal(new SheetCell("2024-09-01", true), rows[0][1]);
        Assert.Equal(new SheetCell("350123201001011234", false), rows[0][2]);

        // Rows 3 and 4 do not exist in the file at all; numbering must still follow Excel.
        Assert.Equal(5, rows[1].RowNumber);
        Assert.Equal(new SheetCell("12.5", true), rows[1][0]);
    }

    [Fact]
    public void Blank_xlsx_rows_are_skipped_but_counted()
    {
        var bytes = XlsxWriter.Build("S", ["a", "b"],
        [
            ["1", "2"],
            [null, ""],
            [" ", null],
            ["3"],
        ]);

        using var reader = SpreadsheetReader.Open(new MemoryStream(bytes), "x.xlsx");
        var rows = ReadAll(reader);
        Assert.Equal([2, 5], rows.Select(r => r.RowNumber));
        Assert.All(rows, r => Assert.False(r.IsBlank));
        Assert.Equal("3", rows[1][0].Text);
        Assert.Equal(1, rows[1].Count);
    }

    [Fact]
    public void Header_only_xlsx_has_no_rows()
    {
        var bytes = XlsxWriter.Build("S", Headers, []);
        using var reader = SpreadsheetReader.Open(new MemoryStream(bytes), "x.xlsx");
        Assert.Equal(Headers, reader.Headers);
        Assert.False(reader.TryReadRow(out _));
    }

    [Fact]
    public void Xlsx_without_any_content_has_no_header()
    {
        var bytes = XlsxWriter.Build("S", [], []);
        var ex = Assert.Throws<SpreadsheetFormatException>(() => SpreadsheetReader.Open(new MemoryStream(bytes), "x.xlsx"));
        Assert.Equal(SpreadsheetError.NoHeader, ex.Error);
    }

    // ---------- csv ----------

    public static TheoryData<string> CsvEncodings => ["utf8-bom", "utf8", "gbk", "utf16"];

    [Theory]
    [MemberData(nameof(CsvEncodings))]
    public void Csv_in_any_common_encoding_reads_the_same(string encoding)
    {
        const string text = "姓名,身份证号,备注,班级\r\n张三,11010519491231002X,,高一(1)班\r\n李四,110105194912310037,转学生,高一(2)班\r\n";
        byte[] bytes = encoding switch
        {
            "utf8-bom" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
            "utf8" => new UTF8Encoding(false).GetBytes(text),
            "gbk" => Encoding.GetEncoding(936).GetBytes(text),
            _ => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text.Replace(',', '\t'))],
        };

        using var reader = SpreadsheetReader.Open(new MemoryStream(bytes), "学生.csv");
        Assert.Equal(Headers, reader.Headers);
        var rows = ReadAll(reader);
        Assert.Equal(2, rows.Count);
        Assert.Equal(new SheetCell("11010519491231002X", false), rows[0][1]);
        Assert.True(rows[0][2].IsBlank);
        Assert.Equal("高一(1)班", rows[0][3].Text);
        Assert.Equal("转学生", rows[1][2].Text);
        Assert.Equal(3, rows[1].RowNumber);
    }

    [Fact]
    public void Gbk_text_after_the_sniffed_sample_is_still_decoded()
    {
        var text = new StringBuilder("姓名,备注\r\n");
        while (text.Length < 100_000)
        {
            text.Append("张三,").Append(new string('很', 20)).Append("\r\n");
        }

        var bytes = Encoding.GetEncoding(936).GetBytes(text.ToString());
        using var reader = SpreadsheetReader.Open(new MemoryStream(bytes), "x.csv");
        var rows = ReadAll(reader);
        Assert.All(rows, r => Assert.Equal(new string('很', 20), r[1].Text));
    }

    [Fact]
    public void Gbk_bytes_after_utf8_text_fail_with_the_row_number()
    {
        var ascii = new StringBuilder("name,note\n");
        var line = 1;
        while (ascii.Length < 70_000)
        {
            ascii.Append("a,b\n");
            line++;
        }

        byte[] bytes = [.. Encoding.ASCII.GetBytes(ascii.ToString()), .. Encoding.GetEncoding(936).GetBytes("张三,备注\n")];
        using var reader = SpreadsheetReader.Open(new MemoryStream(bytes), "x.csv");

        var ex = Assert.Throws<SpreadsheetFormatException>(() => ReadAll(reader));
        Assert.Equal(SpreadsheetError.Corrupt, ex.Error);
        Assert.NotNull(ex.RowNumber);
    }

    [Fact]
    public void Quoted_csv_fields_may_hold_commas_quotes_and_line_breaks()
    {
        const string text = "姓名,地址,备注\n\"张三\",\"北京市,海淀区\",\"第一行\n第二行\"\n李四,\"他说\"\"好\"\"\",\n";
        using var reader = SpreadsheetReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(text)), "x.csv");
        var rows = ReadAll(reader);

        Assert.Equal(2, rows.Count);
        Assert.Equal("北京市,海淀区", rows[0][1].Text);
        Assert.Equal("第一行\n第二行", rows[0][2].Text);
        Assert.Equal("他说\"好\"", rows[1][1].Text);
        Assert.Equal(3, rows[1].RowNumber); // a record is one row in Excel, however many lines it spans
    }

    [Fact]
    public void Tab_separated_text_is_detected_from_the_header()
    {
        const string text = "姓名\t备注\n张三\t有逗号,也没关系\n";
        using var reader = SpreadsheetReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(text)), "导出.xls");
        Assert.Equal(["姓名", "备注"], reader.Headers);
        Assert.Equal("有逗号,也没关系", Assert.Single(ReadAll(reader))[1].Text);
    }

    [Fact]
    public void Blank_csv_lines_are_skipped_but_counted()
    {
        const string text = "\r\n  ,  \r\n姓名,班级\r\n张三,一班\r\n\r\n , \r\n李四,\r\n\r\n";
        using var reader = SpreadsheetReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(text)), "x.csv");
        Assert.Equal(["姓名", "班级"], reader.Headers);
        var rows = ReadAll(reader);

        Assert.Equal([4, 7], rows.Select(r => r.RowNumber));
        Assert.Equal(1, rows[1].Count);
        Assert.All(rows, r => Assert.False(r[0].WasNumeric));
    }

    [Fact]
    public void Header_only_csv_has_no_rows()
    {
        using var reader = SpreadsheetReader.Open(new MemoryStream(Encoding.UTF8.GetBytes("姓名,班级")), "x.csv");
        Assert.Equal(["姓名", "班级"], reader.Headers);
        Assert.False(reader.TryReadRow(out _));
    }

    // ---------- bad files ----------

    [Theory]
    [InlineData("x.csv")]
    [InlineData("x.xlsx")]
    [InlineData("x.xls")]
    public void Empty_file_is_rejected(string fileName)
    {
        AssertRejected([], fileName, SpreadsheetError.Empty);
        AssertRejected([0xEF, 0xBB, 0xBF], fileName, SpreadsheetError.Empty);
    }

    [Fact]
    public void Whitespace_only_csv_has_no_header()
    {
        AssertRejected(Encoding.UTF8.GetBytes(" \r\n,,\r\n\t\r\n"), "x.csv", SpreadsheetError.NoHeader);
    }

    [Theory]
    [InlineData("x.xlsx", SpreadsheetError.Corrupt)]
    [InlineData("x.xls", SpreadsheetError.Corrupt)]
    [InlineData("photo.jpg", SpreadsheetError.Unsupported)]
    [InlineData("x.csv", SpreadsheetError.Unsupported)]
    public void Random_bytes_are_rejected(string fileName, SpreadsheetError expected)
    {
        var bytes = new byte[10_000];
        new Random(42).NextBytes(bytes);
        bytes[0] = 0x01; // make sure no real signature appears by chance
        AssertRejected(bytes, fileName, expected);
    }

    [Fact]
    public void Truncated_xlsx_is_corrupt()
    {
        var bytes = XlsxWriter.Build("S", Headers, Enumerable.Range(0, 500).Select(i => (IReadOnlyList<string?>)[$"学生{i}", "11010519491231002X"]));
        AssertRejected(bytes[..(bytes.Length / 2)], "x.xlsx", SpreadsheetError.Corrupt);
    }

    [Fact]
    public void Zip_that_is_not_a_workbook_is_unsupported()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = new StreamWriter(zip.CreateEntry("word/document.xml").Open());
            entry.Write("<w:document/>");
        }

        AssertRejected(buffer.ToArray(), "x.docx", SpreadsheetError.Unsupported);
    }

    [Fact]
    public void Ole_signature_with_garbage_body_is_corrupt()
    {
        byte[] bytes = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))];
        AssertRejected(bytes, "x.xls", SpreadsheetError.Corrupt);
    }

    [Theory]
    [InlineData("学生.xlsx")]
    [InlineData("学生.XLSM")]
    public void Text_renamed_to_xlsx_is_not_excel(string fileName)
    {
        var bytes = Encoding.UTF8.GetBytes("这是一个记事本文件\r\n姓名,身份证号\r\n张三,350123201501010011\r\n");
        AssertRejected(bytes, fileName, SpreadsheetError.NotExcel);
    }

    [Fact]
    public void Html_saved_as_xls_is_unsupported()
    {
        var bytes = Encoding.UTF8.GetBytes("<html><body><table><tr><td>姓名</td></tr></table></body></html>");
        var ex = AssertRejected(bytes, "导出.xls", SpreadsheetError.Unsupported);
        Assert.Contains("HTML", ex.Message);
    }

    [Fact]
    public void Oversized_files_are_rejected_seekable_or_not()
    {
        var csv = Encoding.UTF8.GetBytes("姓名\n" + string.Concat(Enumerable.Repeat("张三\n", 10_000)));
        var xlsx = XlsxWriter.Build("S", Headers, Enumerable.Range(0, 2000).Select(i => (IReadOnlyList<string?>)[$"学生{i}", $"{i:D18}"]));

        foreach (var (bytes, name) in new[] { (csv, "x.csv"), (xlsx, "x.xlsx") })
        {
            var limit = bytes.Length - 1;
            var seekable = Assert.Throws<SpreadsheetFormatException>(() => SpreadsheetReader.Open(new MemoryStream(bytes), name, limit));
            Assert.Equal(SpreadsheetError.TooLarge, seekable.Error);

            // Without a length the limit can only be noticed while reading, possibly after the header.
            var forwardOnly = Assert.Throws<SpreadsheetFormatException>(() =>
            {
                using var reader = SpreadsheetReader.Open(new ForwardOnlyStream(new MemoryStream(bytes)), name, limit);
                ReadAll(reader);
            });
            Assert.Equal(SpreadsheetError.TooLarge, forwardOnly.Error);

            using var exact = SpreadsheetReader.Open(new ForwardOnlyStream(new MemoryStream(bytes)), name, bytes.Length);
            Assert.NotEmpty(ReadAll(exact));
        }
    }

    // ---------- cells ----------

    [Theory]
    [InlineData(3.50123201001011E+17, "350123201001011000")]
    [InlineData(350123800101101d, "350123800101101")]
    [InlineData(0.1 + 0.2, "0.3")]
    [InlineData(-12.5, "-12.5")]
    [InlineData(1.5e-7, "0.00000015")]
    [InlineData(-0d, "0")]
    [InlineData(1e300, "1E+300")]
    public void Numbers_read_as_excel_shows_them(double value, string expected)
    {
        Assert.Equal(expected, CellText.FormatNumber(value));
    }

    [Fact]
    public void Default_cell_is_the_empty_cell()
    {
        Assert.Equal("", default(SheetCell).Text);
        Assert.Equal(SheetCell.Empty, default);
        Assert.Equal("身份证号", CellText.Clean("\u200B 身份证号\u3000\uFEFF"));
    }

    // ---------- helpers ----------

    private static List<SheetRow> ReadAll(ISheetReader reader)
    {
        var rows = new List<SheetRow>();
        while (reader.TryReadRow(out var row))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static SpreadsheetFormatException AssertRejected(byte[] bytes, string fileName, SpreadsheetError expected)
    {
        var ex = Assert.Throws<SpreadsheetFormatException>(() =>
        {
            using var reader = SpreadsheetReader.Open(new MemoryStream(bytes), fileName);
            ReadAll(reader);
        });
        Assert.Equal(expected, ex.Error);
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        return ex;
    }

    /// <summary>An xlsx as Excel would save it: a number-typed ID, a date-formatted number, a text ID and missing rows.</summary>
    private static byte[] WorkbookWithTypedCells()
    {
        using var output = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            var styles = workbookPart.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new Stylesheet(
                new Fonts(new Font()) { Count = 1 },
                new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
                new Borders(new Border()) { Count = 1 },
                new CellFormats(
                    new CellFormat { NumberFormatId = 0 },
                    new CellFormat { NumberFormatId = 14, ApplyNumberFormat = true }) { Count = 2 }); // 14 = built-in short date

            var worksheetPart = workbookPart.AddNewPart<WorksheetPart>();
            worksheetPart.Worksheet = new Worksheet(new SheetData(
                new Row(Text("A1", "身份证号"), Text("B1", "入学日期"), Text("C1", "文本身份证号")) { RowIndex = 1 },
                new Row(
                    new Cell { CellReference = "A2", CellValue = new CellValue("350123201001011000") },
                    new Cell { CellReference = "B2", StyleIndex = 1, CellValue = new CellValue("45536") },
                    Text("C2", "350123201001011234")) { RowIndex = 2 },
                new Row(new Cell { CellReference = "A5", CellValue = new CellValue("12.5") }) { RowIndex = 5 }));

            workbookPart.Workbook = new Workbook(new Sheets(new Sheet
            {
                Name = "Sheet1",
                SheetId = 1,
                Id = workbookPart.GetIdOfPart(worksheetPart),
            }));
        }

        return output.ToArray();

        static Cell Text(string reference, string value) => new()
        {
            CellReference = reference,
            DataType = CellValues.InlineString,
            InlineString = new InlineString(new DocumentFormat.OpenXml.Spreadsheet.Text(value)),
        };
    }

    /// <summary>Like an HTTP request or response body: no length, no seeking.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
