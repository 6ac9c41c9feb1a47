using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Registry.LoadTests.Scenarios;

namespace Registry.LoadTests.Batches;

/// <summary>
/// A batch file made while it is read: a header line for CSV, then one registration per row from the
/// <see cref="ResidentGenerator"/>, every row of the batch's province. Nothing but the row being sent is ever in
/// memory, on this side of the upload either.
/// </summary>
internal sealed class GeneratedBatch(ResidentGenerator people, string province, int rows, bool csv) : Stream
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private byte[] _pending = csv ? Encoding.UTF8.GetBytes("kind,fullName,birthDate,sex,birthRegistrationProvince\n") : [];
    private int _offset;
    private int _made;

    /// <summary>Bytes handed out so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Rows made so far.</summary>
    public int RowsMade => _made;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length)
        {
            if (_offset == _pending.Length)
            {
                if (_made == rows)
                {
                    break;
                }

                _pending = Encoding.UTF8.GetBytes(NextRow());
                _offset = 0;
            }

            var n = Math.Min(buffer.Length - written, _pending.Length - _offset);
            _pending.AsSpan(_offset, n).CopyTo(buffer[written..]);
            _offset += n;
            written += n;
        }

        BytesRead += written;
        return written;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override void Flush() => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private string NextRow()
    {
        _made++;
        var person = people.Next() with { BirthRegistrationProvince = province };
        var birthDate = person.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // Names hold no comma or quote, so the CSV needs no quoting.
        return csv
            ? $"registration,{person.FullName},{birthDate},{person.Sex},{province}\n"
            : JsonSerializer.Serialize(new { kind = "registration", fullName = person.FullName, birthDate, sex = person.Sex, birthRegistrationProvince = province }, Json) + "\n";
    }
}
