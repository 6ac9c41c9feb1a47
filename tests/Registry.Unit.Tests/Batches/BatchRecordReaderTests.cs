using System.IO.Pipelines;
using System.Text;
using Registry.Domain.Batches;

namespace Registry.Unit.Tests.Batches;

/// <summary>An upload split into records as it streams: line endings, quoting, limits and encodings.</summary>
public sealed class BatchRecordReaderTests
{
    /// <summary>Records end at LF, a CR before it is dropped, empty lines are no records, and the last line needs no LF.</summary>
    [Theory]
    [InlineData(16)]
    [InlineData(4096)]
    public async Task Records_end_at_line_feeds_and_empty_lines_are_skipped(int readSize)
    {
        var records = await ReadAllAsync("one\r\ntwo\n\n\r\nthree", BatchFormat.Ndjson, readSize);

        Assert.Equal(["one", "two", "three"], records.Select(record => record.Text));
    }

    /// <summary>In CSV an LF inside a quoted field belongs to the field; doubled quotes keep the state right.</summary>
    [Fact]
    public async Task A_quoted_line_feed_does_not_end_a_CSV_record()
    {
        var records = await ReadAllAsync("a,\"x\ny\",\"say \"\"hi\"\"\"\nb,c\n", BatchFormat.Csv, readSize: 3);

        Assert.Equal(["a,\"x\ny\",\"say \"\"hi\"\"\"", "b,c"], records.Select(record => record.Text));
    }

    /// <summary>A record of exactly 65,536 bytes is kept; one byte more is rejected, and the record after it is read as usual.</summary>
    [Fact]
    public async Task A_record_over_the_limit_is_rejected_and_the_next_one_read()
    {
        var atLimit = new string('a', BatchLimits.MaxRowBytes);
        var overLimit = new string('b', BatchLimits.MaxRowBytes + 1);

        var records = await ReadAllAsync($"{atLimit}\r\n{overLimit}\nnext", BatchFormat.Ndjson, readSize: 4096);

        Assert.Equal([atLimit, null, "next"], records.Select(record => record.Text));
        Assert.Equal(BatchLimits.TooLong, records[1].Problem);
    }

    /// <summary>A very long last record without a line feed is rejected too.</summary>
    [Fact]
    public async Task A_long_last_record_is_rejected()
    {
        var records = await ReadAllAsync("first\n" + new string('c', 300_000), BatchFormat.Csv, readSize: 4096);

        Assert.Equal(["first", null], records.Select(record => record.Text));
        Assert.Equal(BatchLimits.TooLong, records[1].Problem);
    }

    /// <summary>Bytes that are not UTF-8, and NUL, make their record rejected; the others are kept with their SHA-256.</summary>
    [Fact]
    public async Task Records_that_are_not_UTF8_text_are_rejected_alone()
    {
        byte[] body = [.. "ok\n"u8, 0xC3, 0x28, (byte)'\n', (byte)'a', 0x00, (byte)'\n', .. "Nguyễn\n"u8];

        var records = await ReadAllAsync(body, BatchFormat.Ndjson, readSize: 2);

        Assert.Equal(["ok", null, null, "Nguyễn"], records.Select(record => record.Text));
        Assert.Equal([null, BatchLimits.NotUtf8, BatchLimits.HoldsNul, null], records.Select(record => record.Problem));
        Assert.Equal(System.Security.Cryptography.SHA256.HashData("Nguyễn"u8), records[3].Hash);
    }

    /// <summary>A quoted CSV field still open at the end of the file makes the last record rejected.</summary>
    [Fact]
    public async Task An_unclosed_quote_at_the_end_is_rejected()
    {
        var records = await ReadAllAsync("a,b\nc,\"d\ne", BatchFormat.Csv, readSize: 4096);

        Assert.Equal(["a,b", null], records.Select(record => record.Text));
        Assert.Equal(BatchLimits.UnclosedQuote, records[1].Problem);
    }

    /// <summary>A UTF-8 byte order mark is skipped; UTF-16 and UTF-32 marks are reported.</summary>
    [Theory]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'x' }, null)]
    [InlineData(new byte[] { 0xFF, 0xFE, (byte)'x', 0 }, "UTF-16 (little-endian)")]
    [InlineData(new byte[] { 0xFE, 0xFF, 0, (byte)'x' }, "UTF-16 (big-endian)")]
    [InlineData(new byte[] { 0xFF, 0xFE, 0, 0 }, "UTF-32 (little-endian)")]
    [InlineData(new byte[] { (byte)'x' }, null)]
    public async Task Byte_order_marks_are_skipped_or_reported(byte[] body, string? encoding)
    {
        var reader = new BatchRecordReader(PipeReader.Create(new MemoryStream(body)), BatchFormat.Ndjson);

        Assert.Equal(encoding, await reader.CheckEncodingAsync(CancellationToken.None));
        if (encoding is null)
        {
            Assert.Equal("x", (await reader.ReadAsync(CancellationToken.None))?.Text);
        }
    }

    private static Task<List<BatchRecord>> ReadAllAsync(string body, BatchFormat format, int readSize) =>
        ReadAllAsync(Encoding.UTF8.GetBytes(body), format, readSize);

    private static async Task<List<BatchRecord>> ReadAllAsync(byte[] body, BatchFormat format, int readSize)
    {
        var pipe = PipeReader.Create(new MemoryStream(body), new StreamPipeReaderOptions(bufferSize: readSize, minimumReadSize: Math.Min(readSize, 1024)));
        var reader = new BatchRecordReader(pipe, format);
        Assert.Null(await reader.CheckEncodingAsync(CancellationToken.None));
        var records = new List<BatchRecord>();
        while (await reader.ReadAsync(CancellationToken.None) is { } record)
        {
            records.Add(record);
        }

        return records;
    }
}
