using System.Net;
using System.Text;
using System.Text.Json;
using Registry.Api.Tests.Hosting;
using Registry.Api.Tests.Residents;
using Registry.Contracts.Access;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Batches;

/// <summary>Provincial batches through the API: upload, progress, results, idempotent repeats and every refusal.</summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class UploadingBatchesTests(ApiFixture api)
{
    private static readonly Actor Officer048 = new("officer-048", ActorRole.ProvincialOfficer, "048");

    /// <summary>
    /// An officer's NDJSON batch is accepted with 202 and a Location, its progress is visible, and every row gets a
    /// result: registrations applied with their numbers, a broken line rejected naming the row, the others unaffected.
    /// </summary>
    [Fact]
    public async Task An_NDJSON_batch_is_processed_and_a_broken_line_rejected_alone()
    {
        using var officer = api.ClientFor(Officer048);
        var batchId = BatchUploads.NewId("ndjson");
        var residentsBefore = await api.ResidentsInAsync("048");
        var body = string.Join("\n",
            BatchUploads.Registration(BatchUploads.UniqueName("Một")),
            """{"kind":"registration","fullName":"Lê""",
            BatchUploads.Registration(BatchUploads.UniqueName("Ba"), birthDate: "17/05/1990"),
            "",
            BatchUploads.Registration(BatchUploads.UniqueName("Bốn"))) + "\n";

        using var response = await BatchUploads.UploadAsync(officer, batchId, BatchUploads.Ndjson, body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/batches/{batchId}", response.Headers.Location?.OriginalString);
        var accepted = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(4, accepted.GetProperty("totalRows").GetInt32());
        var progress = await BatchUploads.WaitUntilCompletedAsync(officer, batchId);
        Assert.Equal("048", progress.GetProperty("provinceCode").GetString());
        Assert.Equal(2, progress.GetProperty("rows").GetProperty("applied").GetInt64());
        Assert.Equal(2, progress.GetProperty("rows").GetProperty("rejected").GetInt64());
        Assert.Equal(0, progress.GetProperty("rows").GetProperty("pending").GetInt64());
        Assert.True(progress.GetProperty("rowsPerSecond").GetDouble() > 0);
        var rows = await BatchUploads.RowsAsync(officer, batchId);
        Assert.Equal([1, 2, 3, 4], rows.Select(row => row.GetProperty("rowNumber").GetInt32()));
        Assert.Equal(["applied", "rejected", "rejected", "applied"], rows.Select(row => row.GetProperty("status").GetString()));
        Assert.Matches("^048[0-9]{9}$", rows[0].GetProperty("result").GetProperty("personalIdNumber").GetString());
        Assert.Equal(["row"], BatchUploads.ErrorFields(rows[1]));
        Assert.Equal(["birthDate"], BatchUploads.ErrorFields(rows[2]));
        Assert.Equal(residentsBefore + 2, await api.ResidentsInAsync("048"));
        Assert.Equal(2, (await BatchUploads.RowsAsync(officer, batchId, "rejected")).Count);
    }

    /// <summary>
    /// A central administrator uploads a CSV batch for a province named in the query; rows are read by the header's
    /// columns, and a registration that matches a registered person is held back with the candidate.
    /// </summary>
    [Fact]
    public async Task A_CSV_batch_is_processed_and_a_duplicate_held_back_with_its_candidate()
    {
        var known = BatchUploads.UniqueName("Đã Có");
        using (var registered = await api.RegisterAsync(ApiFixture.NewIdempotencyKey(), Registrations.Valid(known, "1980-01-02", "male", "001").ToJson()))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var batchId = BatchUploads.NewId("csv");
        var body = "kind,fullName,birthDate,sex,birthRegistrationProvince,otherNames,confirmedNotDuplicate\r\n" +
                   $"registration,\"{BatchUploads.UniqueName("Năm")}\",1975-04-30,male,001,Năm;Bé Năm,\r\n" +
                   $"registration,{known},1980-01-02,male,001,,\r\n" +
                   $"registration,{known},1980-01-02,male,001,,true\r\n";

        using var response = await BatchUploads.UploadAsync(api.Http, batchId, BatchUploads.Csv, body, province: "001");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await BatchUploads.WaitUntilCompletedAsync(api.Http, batchId);
        var rows = await BatchUploads.RowsAsync(api.Http, batchId);
        Assert.Equal(["applied", "duplicateCandidate", "applied"], rows.Select(row => row.GetProperty("status").GetString()));
        var candidate = rows[1].GetProperty("result").GetProperty("candidates")[0];
        Assert.Equal(known, candidate.GetProperty("fullName").GetString());
    }

    /// <summary>
    /// Uploading the same batch again answers 202 and changes nothing (no new person, the same results); the same id
    /// from another uploader or for another province is refused with 409.
    /// </summary>
    [Fact]
    public async Task Uploading_a_batch_again_is_idempotent_and_another_uploaders_id_is_refused()
    {
        using var officer = api.ClientFor(Officer048);
        var batchId = BatchUploads.NewId("again");
        var body = BatchUploads.Registration(BatchUploads.UniqueName("Lại")) + "\n";
        using (var first = await BatchUploads.UploadAsync(officer, batchId, BatchUploads.Ndjson, body))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        await BatchUploads.WaitUntilCompletedAsync(officer, batchId);
        var results = (await BatchUploads.RowsAsync(officer, batchId)).Select(row => row.GetRawText()).ToArray();
        var before = await api.SnapshotAsync();

        using var again = await BatchUploads.UploadAsync(officer, batchId, BatchUploads.Ndjson, body);
        using var otherOfficer = api.ClientFor(new Actor("officer-048-b", ActorRole.ProvincialOfficer, "048"));
        using var byOther = await BatchUploads.UploadAsync(otherOfficer, batchId, BatchUploads.Ndjson, body);
        using var forOther = await BatchUploads.UploadAsync(api.Http, batchId, BatchUploads.Ndjson, body, province: "001");

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, byOther.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, forOther.StatusCode);
        Assert.Equal("application/problem+json", byOther.Content.Headers.ContentType?.MediaType);
        Assert.Equal(results, (await BatchUploads.RowsAsync(officer, batchId)).Select(row => row.GetRawText()));
        Assert.Equal(before, await api.SnapshotAsync());
    }

    /// <summary>
    /// An upload cut off mid-stream leaves the batch receiving with the rows stored so far; uploading the file again
    /// resumes it, and every row is registered once.
    /// </summary>
    [Fact]
    public async Task An_interrupted_upload_resumes_and_registers_each_row_once()
    {
        const int rows = 2_500;
        using var officer = api.ClientFor(Officer048);
        var batchId = BatchUploads.NewId("resume");
        var residentsBefore = await api.ResidentsInAsync("048");
        var lines = Enumerable.Range(1, rows).Select(i => BatchUploads.Registration(BatchUploads.UniqueName($"Số {i}")) + "\n").ToArray();

        // The sender fails after 2,200 rows, once the API has stored some: the API sees the body break off, as when
        // either side crashes mid-stream.
        using var streaming = api.StreamingClientFor(Officer048);
        var breaking = new BreakingStream(lines, breakAfter: 2_200, () => BatchUploads.StoredAsync(api, batchId));
        await Assert.ThrowsAnyAsync<Exception>(() => BatchUploads.UploadAsync(streaming, batchId, new StreamContent(breaking), BatchUploads.Ndjson));
        var stored = await WaitForStoredRowsAsync(batchId);
        Assert.Equal("receiving", await TestDatabase.ScalarAsync<string>(api.ConnectionString, "SELECT status FROM registry.batch WHERE batch_id = $1", batchId));
        Assert.InRange(stored, 1, 2_200);

        using var resumed = await BatchUploads.UploadAsync(officer, batchId, BatchUploads.Ndjson, string.Concat(lines));

        Assert.Equal(HttpStatusCode.Accepted, resumed.StatusCode);
        // Progress is visible while the batch runs: the 202 itself shows it started with rows still pending.
        var running = JsonDocument.Parse(await resumed.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("running", running.GetProperty("status").GetString());
        Assert.Equal(rows, running.GetProperty("storedRows").GetInt32());
        Assert.True(running.GetProperty("rows").GetProperty("pending").GetInt64() > 0, running.ToString());
        var progress = await BatchUploads.WaitUntilCompletedAsync(officer, batchId, TimeSpan.FromSeconds(120));
        Assert.Equal(rows, progress.GetProperty("totalRows").GetInt32());
        Assert.Equal(rows, progress.GetProperty("rows").GetProperty("applied").GetInt64());
        Assert.Equal(residentsBefore + rows, await api.ResidentsInAsync("048"));
    }

    /// <summary>A line whose bytes are not UTF-8, or that holds NUL, is rejected on its own; the others are applied.</summary>
    [Fact]
    public async Task A_line_that_is_not_UTF8_is_rejected_and_the_others_applied()
    {
        using var officer = api.ClientFor(Officer048);
        var batchId = BatchUploads.NewId("bytes");
        var content = new MemoryStream();
        content.Write(Encoding.UTF8.GetBytes(BatchUploads.Registration(BatchUploads.UniqueName("Tốt")) + "\n"));
        content.Write([(byte)'{', 0xC3, 0x28, (byte)'}', (byte)'\n']);
        content.Write(Encoding.UTF8.GetBytes("{\"kind\":\"registration\",\"fullName\":\"A\u0000B\"}\n"));
        content.Write(Encoding.UTF8.GetBytes(BatchUploads.Registration(BatchUploads.UniqueName("Cũng Tốt")) + "\n"));

        using var response = await BatchUploads.UploadAsync(officer, batchId, new ByteArrayContent(content.ToArray()), BatchUploads.Ndjson);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await BatchUploads.WaitUntilCompletedAsync(officer, batchId);
        var rows = await BatchUploads.RowsAsync(officer, batchId);
        Assert.Equal(["applied", "rejected", "rejected", "applied"], rows.Select(row => row.GetProperty("status").GetString()));
        Assert.Equal("not valid UTF-8", BatchUploads.FirstError(rows[1]));
        Assert.Contains("NUL", BatchUploads.FirstError(rows[2]), StringComparison.Ordinal);
    }

    /// <summary>A UTF-16 file is refused with 415 problem details naming the encoding, and nothing is stored.</summary>
    [Fact]
    public async Task A_UTF16_file_is_refused_and_nothing_stored()
    {
        var batchId = BatchUploads.NewId("utf16");
        var before = await api.SnapshotAsync();
        var utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(BatchUploads.Registration(BatchUploads.UniqueName("Mười Sáu")) + "\n")).ToArray();

        using var response = await BatchUploads.UploadAsync(api.Http, batchId, new ByteArrayContent(utf16), BatchUploads.Ndjson, province: "048");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("UTF-16", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((0L, 0L), await BatchUploads.StoredAsync(api, batchId));
        Assert.Equal(before, await api.SnapshotAsync());
    }

    /// <summary>A CSV header missing a required column is refused with 400 naming the column, and nothing is stored.</summary>
    [Fact]
    public async Task A_CSV_header_missing_a_column_is_refused_naming_it_and_nothing_stored()
    {
        var batchId = BatchUploads.NewId("header");
        var before = await api.SnapshotAsync();

        using var response = await BatchUploads.UploadAsync(api.Http, batchId, BatchUploads.Csv,
            "kind,fullName,birthDate,birthRegistrationProvince\nregistration,Lê Văn Tám,1990-01-01,048\n", province: "048");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty("sex", out _), problem.ToString());
        Assert.Equal((0L, 0L), await BatchUploads.StoredAsync(api, batchId));
        Assert.Equal(before, await api.SnapshotAsync());
    }

    /// <summary>Bad ids, media types and provinces are refused before anything is read or stored.</summary>
    [Theory]
    [InlineData("has space", BatchUploads.Ndjson, "048", HttpStatusCode.BadRequest)]
    [InlineData("ok-id", "application/json", "048", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("ok-id", BatchUploads.Ndjson, null, HttpStatusCode.BadRequest)]
    [InlineData("ok-id", BatchUploads.Ndjson, "999", HttpStatusCode.BadRequest)]
    public async Task Bad_uploads_are_refused_before_anything_is_stored(string batchId, string mediaType, string? province, HttpStatusCode status)
    {
        var id = batchId == "ok-id" ? BatchUploads.NewId("refused") : batchId;

        using var response = await BatchUploads.UploadAsync(api.Http, id, mediaType, BatchUploads.Registration("Lê Văn Tám") + "\n", province);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((0L, 0L), await BatchUploads.StoredAsync(api, id));
    }

    /// <summary>An officer uploads and reads only their own province's batches; ministry partners not at all.</summary>
    [Fact]
    public async Task Officers_upload_and_read_only_their_own_provinces_batches()
    {
        using var officer = api.ClientFor(Officer048);
        using var otherOfficer = api.ClientFor(new Actor("officer-001", ActorRole.ProvincialOfficer, "001"));
        using var ministry = api.ClientFor(TestActors.MinistryPartner);
        var batchId = BatchUploads.NewId("own");
        var body = BatchUploads.Registration(BatchUploads.UniqueName("Riêng")) + "\n";

        using var forOther = await BatchUploads.UploadAsync(officer, BatchUploads.NewId("other"), BatchUploads.Ndjson, body, province: "001");
        using var byMinistry = await BatchUploads.UploadAsync(ministry, BatchUploads.NewId("ministry"), BatchUploads.Ndjson, body, province: "048");
        using var own = await BatchUploads.UploadAsync(officer, batchId, BatchUploads.Ndjson, body);
        using var readByOther = await otherOfficer.GetAsync(new Uri($"/batches/{batchId}", UriKind.Relative));
        using var rowsByOther = await otherOfficer.GetAsync(new Uri($"/batches/{batchId}/rows", UriKind.Relative));
        using var unknown = await officer.GetAsync(new Uri($"/batches/{BatchUploads.NewId("unknown")}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, forOther.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byMinistry.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, readByOther.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, rowsByOther.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    /// <summary>Paging parameters that are not numbers or statuses are refused naming the parameter.</summary>
    [Theory]
    [InlineData("status=done", "status")]
    [InlineData("after=-1", "after")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=x", "limit")]
    public async Task Bad_paging_parameters_are_refused_naming_them(string query, string parameter)
    {
        using var response = await api.GetAsync($"/batches/{BatchUploads.NewId("paging")}/rows?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    private async Task<long> WaitForStoredRowsAsync(string batchId)
    {
        // The API notices the broken body shortly after the client gives up; give it a moment to finish its last chunk.
        long stored = -1;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            var now = (await BatchUploads.StoredAsync(api, batchId)).Rows;
            if (now == stored && now > 0)
            {
                break;
            }

            stored = now;
        }

        return stored;
    }

    /// <summary>A request body that sends some lines and then fails, like a sender that crashes mid-upload.</summary>
    private sealed class BreakingStream(string[] lines, int breakAfter, Func<Task<(long Batches, long Rows)>> stored) : Stream
    {
        private int _line;
        private byte[] _pending = [];
        private int _offset;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_offset == _pending.Length)
            {
                if (_line == breakAfter)
                {
                    throw new IOException("The sender crashed.");
                }

                _pending = Encoding.UTF8.GetBytes(lines[_line++]);
                _offset = 0;
            }

            var n = Math.Min(count, _pending.Length - _offset);
            Array.Copy(_pending, _offset, buffer, offset, n);
            _offset += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_offset == _pending.Length && _line == breakAfter)
            {
                // Crash only once the API has stored rows, so that there is something to resume.
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while ((await stored()).Rows == 0 && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
                }
            }

            var bytes = new byte[buffer.Length];
            var n = Read(bytes, 0, bytes.Length);
            bytes.AsMemory(0, n).CopyTo(buffer);
            return n;
        }

        public override void Flush() => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
