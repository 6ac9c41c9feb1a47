using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace Registry.Domain.Batches;

/// <summary>One record of an uploaded file: its text and content hash, or why it cannot be kept.</summary>
/// <param name="Text">The record without its line ending; null when <paramref name="Problem"/> is set.</param>
/// <param name="Hash">SHA-256 of the record's UTF-8 bytes; null when <paramref name="Problem"/> is set.</param>
/// <param name="Problem">Why the record is rejected before it is parsed (too long, not UTF-8, ...).</param>
public sealed record BatchRecord(string? Text, byte[]? Hash, string? Problem);

/// <summary>
/// Splits an upload into records as the bytes arrive, never holding more than one record of at most
/// <see cref="BatchLimits.MaxRowBytes"/> (plus what the pipe has read ahead): a longer record is read through and
/// dropped as it streams, however long it is. Records end at LF (a CR before it is dropped); in CSV, an LF inside a
/// quoted field does not end the record. Empty lines are not records. Each record is checked as UTF-8 on its own, so
/// one damaged line costs that row only. Splitting is the only CSV knowledge here: the fields are read later by Sep.
/// </summary>
public sealed class BatchRecordReader(PipeReader body, BatchFormat format)
{
    private const byte LineFeed = (byte)'\n';
    private const byte CarriageReturn = (byte)'\r';
    private const byte Quote = (byte)'"';

    private readonly bool _csv = format == BatchFormat.Csv;
    private long _scanned;
    private bool _inQuotes;
    private bool _discarding;

    /// <summary>
    /// Reads the start of the body and drops a UTF-8 byte order mark. A UTF-16 or UTF-32 mark is refused: rows are
    /// split at the byte 0x0A and checked as UTF-8 each, neither of which holds for those encodings, so every row
    /// would be rejected as not UTF-8. Refusing the file before anything is stored tells the province what to fix.
    /// </summary>
    /// <returns>The encoding the file is in when it is not UTF-8, or null.</returns>
    public async ValueTask<string?> CheckEncodingAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length < 4 && !result.IsCompleted)
            {
                body.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            Span<byte> start = stackalloc byte[4];
            var length = (int)Math.Min(4, buffer.Length);
            buffer.Slice(0, length).CopyTo(start);
            var mark = start[..length];
            var encoding = mark switch
            {
                [0xFF, 0xFE, 0x00, 0x00] => "UTF-32 (little-endian)",
                [0x00, 0x00, 0xFE, 0xFF] => "UTF-32 (big-endian)",
                [0xFF, 0xFE, ..] => "UTF-16 (little-endian)",
                [0xFE, 0xFF, ..] => "UTF-16 (big-endian)",
                _ => null,
            };
            var utf8Mark = mark is [0xEF, 0xBB, 0xBF, ..];
            body.AdvanceTo(utf8Mark ? buffer.GetPosition(3) : buffer.Start);
            return encoding;
        }
    }

    /// <summary>The next record, or null at the end of the body.</summary>
    public async ValueTask<BatchRecord?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (_discarding)
            {
                // The record is already too long: everything up to its end is consumed unseen.
                var end = FindRecordEnd(buffer, 0);
                if (end is { } lineFeed)
                {
                    body.AdvanceTo(buffer.GetPosition(lineFeed + 1));
                    _discarding = false;
                    return TooLong();
                }

                body.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    _discarding = false;
                    return TooLong();
                }

                continue;
            }

            var found = FindRecordEnd(buffer, _scanned);
            if (found is { } at)
            {
                var record = Record(buffer.Slice(0, at), endOfFile: false);
                body.AdvanceTo(buffer.GetPosition(at + 1));
                _scanned = 0;
                if (record is not null)
                {
                    return record;
                }

                continue;
            }

            _scanned = buffer.Length;
            // One more byte than the limit may still be the CR of a CRLF.
            if (buffer.Length > BatchLimits.MaxRowBytes + 1)
            {
                body.AdvanceTo(buffer.End);
                _scanned = 0;
                if (result.IsCompleted)
                {
                    return TooLong();
                }

                _discarding = true;
                continue;
            }

            if (result.IsCompleted)
            {
                var last = buffer.Length == 0 ? null : Record(buffer, endOfFile: true);
                body.AdvanceTo(buffer.End);
                _scanned = 0;
                return last;
            }

            body.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private BatchRecord TooLong()
    {
        _inQuotes = false;
        return new BatchRecord(null, null, BatchLimits.TooLong);
    }

    /// <summary>The offset of the LF that ends the record, scanning from <paramref name="from"/>; null when not in the buffer.</summary>
    private long? FindRecordEnd(ReadOnlySequence<byte> buffer, long from)
    {
        var offset = from;
        foreach (var segment in buffer.Slice(from))
        {
            var span = segment.Span;
            var index = 0;
            while (index < span.Length)
            {
                var next = _csv ? span[index..].IndexOfAny(LineFeed, Quote) : span[index..].IndexOf(LineFeed);
                if (next < 0)
                {
                    break;
                }

                index += next;
                if (span[index] == Quote)
                {
                    // A doubled quote inside a quoted field toggles twice, so the state is right at every LF.
                    _inQuotes = !_inQuotes;
                }
                else if (!_inQuotes)
                {
                    return offset + index;
                }

                index++;
            }

            offset += span.Length;
        }

        return null;
    }

    /// <summary>The record made of <paramref name="bytes"/>, or null for an empty line.</summary>
    private BatchRecord? Record(ReadOnlySequence<byte> bytes, bool endOfFile)
    {
        var unclosed = endOfFile && _inQuotes;
        _inQuotes = false;
        if (bytes.Length > 0 && bytes.Slice(bytes.Length - 1).FirstSpan[0] == CarriageReturn)
        {
            bytes = bytes.Slice(0, bytes.Length - 1);
        }

        if (bytes.Length == 0)
        {
            return null;
        }

        if (bytes.Length > BatchLimits.MaxRowBytes)
        {
            return TooLong();
        }

        var content = bytes.ToArray();
        var problem = unclosed ? BatchLimits.UnclosedQuote
            : !Utf8.IsValid(content) ? BatchLimits.NotUtf8
            : content.AsSpan().Contains((byte)0) ? BatchLimits.HoldsNul
            : null;
        return problem is null
            ? new BatchRecord(Encoding.UTF8.GetString(content), SHA256.HashData(content), null)
            : new BatchRecord(null, null, problem);
    }
}
