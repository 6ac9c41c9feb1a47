using System.Net;
using System.Text;
using Registry.Api.Tests.Hosting;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Batches;

/// <summary>A line far beyond the row limit is read through without being held: by the API, and by this test.</summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class LongLineTests(ApiFixture api)
{
    private const long LineBytes = 1L << 30;

    /// <summary>
    /// A 1 GiB line, generated as it is sent, is rejected as longer than 65,536 bytes while the next row is applied, and
    /// the managed heap of the process (API host, silos and test) never grows by anything near the line's size.
    /// </summary>
    [Fact]
    public async Task A_one_gigabyte_line_is_rejected_without_being_held_in_memory()
    {
        var batchId = BatchUploads.NewId("huge");
        using var client = api.StreamingClientFor(TestActors.Administrator);
        var after = BatchUploads.Registration(BatchUploads.UniqueName("Sau"), confirmed: true);
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        long peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
            }
        });

        HttpResponseMessage response;
        try
        {
            response = await BatchUploads.UploadAsync(client, batchId, new StreamContent(new LongLine(after), 1 << 16), BatchUploads.Ndjson, province: "048");
        }
        finally
        {
            await sampling.CancelAsync();
            await sampler;
        }

        using (response)
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await BatchUploads.WaitUntilCompletedAsync(api.Http, batchId);
        var rows = await BatchUploads.RowsAsync(api.Http, batchId);
        Assert.Equal(["rejected", "applied"], rows.Select(row => row.GetProperty("status").GetString()));
        Assert.Equal("row longer than 65,536 bytes", BatchUploads.FirstError(rows[0]));
        // Loose on purpose: three silos and the API share this heap. Holding the line would add a gigabyte.
        Assert.True(peak - before < 256L * 1024 * 1024, $"The managed heap grew by {(peak - before) / (1024 * 1024)} MiB while a 1 GiB line was uploaded.");
    }

    /// <summary>A body of one 1 GiB line of a row that never closes its name, then one valid row; made as it is read.</summary>
    private sealed class LongLine(string nextRow) : Stream
    {
        private static readonly byte[] Filler = Encoding.ASCII.GetBytes(new string('a', 1 << 16));
        private readonly byte[] _head = Encoding.UTF8.GetBytes("""{"kind":"registration","fullName":" """);
        private readonly byte[] _tail = Encoding.UTF8.GetBytes("\"}\n" + nextRow + "\n");
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var fillerEnd = _head.Length + LineBytes;
            ReadOnlySpan<byte> source = _position < _head.Length ? _head.AsSpan((int)_position)
                : _position < fillerEnd ? Filler.AsSpan(0, (int)Math.Min(Filler.Length, fillerEnd - _position))
                : _position < fillerEnd + _tail.Length ? _tail.AsSpan((int)(_position - fillerEnd))
                : [];
            var n = Math.Min(source.Length, buffer.Length);
            source[..n].CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override void Flush() => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
