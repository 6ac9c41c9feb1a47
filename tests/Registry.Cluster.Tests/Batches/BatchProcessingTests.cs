using System.Globalization;
using Registry.Contracts;
using Registry.Contracts.Batches;
using Registry.Contracts.Identity;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.Batches;

/// <summary>A three-silo cluster of its own for the batch tests.</summary>
public sealed class BatchClusterFixture : RegistryClusterFixture;

/// <summary>The batch grain on a three-silo cluster with PostgreSQL: every row of a stored batch gets one result.</summary>
public sealed class BatchProcessingTests(BatchClusterFixture fixture) : IClassFixture<BatchClusterFixture>
{
    private static readonly TimeSpan Patience = Eventually.Within(RegistryTestCluster.BatchReminderPeriod);
    private readonly IClusterClient _client = fixture.Client;
    private readonly string _database = fixture.ConnectionString;

    /// <summary>
    /// Registrations and amendments are applied in file order (an amendment of a person registered a row earlier
    /// sees them), and bad rows are rejected naming the field, the others applied.
    /// </summary>
    [Fact]
    public async Task Rows_are_applied_in_order_and_bad_rows_rejected_naming_the_field()
    {
        var batchId = StoredBatches.NewId("mixed");
        var issued = NewNumber("0791", "90");
        var residentsBefore = (await _client.Province("079").GetCountsAsync()).Residents;
        await StoredBatches.StoreAsync(_database, batchId, TestActors.Officer("079"), "079",
        [
            $$"""{"kind":"registration","fullName":"Nguyễn Thị Ánh","birthDate":"1990-05-17","sex":"female","birthRegistrationProvince":"079","issuedNumber":"{{issued}}"}""",
            $$"""{"kind":"amendment","personalIdNumber":"{{issued}}","field":"hometown","value":"Huế","reason":"Sai sót khi nhập","documentReference":"QĐ-12/2026"}""",
            """{"kind":"registration","fullName":"Trần Văn Bình","birthDate":"1987-03-09","sex":"male","birthRegistrationProvince":"079"}""",
            """{"kind":"registration","fullName":"Lê Văn Cường","birthDate":"09/03/1987","sex":"male","birthRegistrationProvince":"079"}""",
            """{"kind":"registration","fullName":"Phạm Văn Dũng","birthDate":"1987-03-09","sex":"male","birthRegistrationProvince":"001"}""",
            $$"""{"kind":"amendment","personalIdNumber":"{{issued}}","field":"height","value":"1m60","reason":"r","documentReference":"d"}""",
            """{"kind":"registration","fullName":""",
        ]);

        Assert.Equal(BatchStatus.Running, await _client.Batch(batchId).StartAsync());
        await StoredBatches.WaitUntilCompletedAsync(_database, batchId, Patience);

        var rows = await StoredBatches.RowsAsync(_database, batchId);
        Assert.Equal(["applied", "applied", "applied", "rejected", "rejected", "rejected", "rejected"], rows.Select(row => row.Status));
        Assert.Equal(issued, rows[0].Number());
        Assert.Equal(issued, rows[1].Number());
        Assert.Equal(["birthDate"], rows[3].ErrorFields());
        Assert.Equal(["actor"], rows[4].ErrorFields());
        Assert.Equal(["field"], rows[5].ErrorFields());
        Assert.Equal(["row"], rows[6].ErrorFields());
        Assert.True(PersonalIdNumber.TryParse(issued, out var number, out _));
        Assert.Equal("Huế", (await _client.Citizen(number).GetAsync())?.Hometown);
        Assert.Equal(residentsBefore + 2, (await _client.Province("079").GetCountsAsync()).Residents);
    }

    /// <summary>A row identical to an earlier row of the same batch is rejected as "same as row N", and registers nobody.</summary>
    [Fact]
    public async Task An_identical_later_row_is_rejected_as_the_same_as_the_earlier_one()
    {
        var batchId = StoredBatches.NewId("twice");
        var residentsBefore = (await _client.Province("048").GetCountsAsync()).Residents;
        const string row = """{"kind":"registration","fullName":"Võ Thị Sáu","birthDate":"1933-01-01","sex":"female","birthRegistrationProvince":"048"}""";
        await StoredBatches.StoreAsync(_database, batchId, TestActors.Administrator, "048",
            [row, """{"kind":"registration","fullName":"Võ Văn Kiệt","birthDate":"1922-11-23","sex":"male","birthRegistrationProvince":"048"}""", row]);

        await _client.Batch(batchId).StartAsync();
        await StoredBatches.WaitUntilCompletedAsync(_database, batchId, Patience);

        var rows = await StoredBatches.RowsAsync(_database, batchId);
        Assert.Equal(["applied", "applied", "rejected"], rows.Select(stored => stored.Status));
        Assert.Equal("same as row 1", rows[2].Result!.Value.GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Equal(1, rows[2].Result!.Value.GetProperty("sameAsRow").GetInt32());
        Assert.Equal(residentsBefore + 2, (await _client.Province("048").GetCountsAsync()).Residents);
    }

    /// <summary>
    /// A registration matching a registered person (same folded name, birth date and birth province) is held back as a
    /// duplicate candidate naming that person; the same row with confirmedNotDuplicate is applied.
    /// </summary>
    [Fact]
    public async Task A_likely_duplicate_is_held_back_with_its_candidate_until_confirmed()
    {
        var name = $"Hoàng Thị Duyên {Guid.NewGuid().ToString("N")[..6]}";
        var earlier = new Contracts.Residents.RegisterResident(Guid.NewGuid().ToString("N"), name, new DateOnly(1995, 7, 2), Contracts.Residents.Sex.Female, "079")
        {
            Actor = TestActors.Administrator,
        };
        var registered = Assert.IsType<Contracts.Residents.Registered>(await _client.Registration(earlier.IdempotencyKey).RegisterAsync(earlier));
        var batchId = StoredBatches.NewId("duplicate");
        var row = $$"""{"kind":"registration","fullName":"{{name.ToUpperInvariant()}}","birthDate":"1995-07-02","sex":"female","birthRegistrationProvince":"079"}""";
        await StoredBatches.StoreAsync(_database, batchId, TestActors.Officer("079"), "079", [row, row.Replace("}", ""","confirmedNotDuplicate":true}""", StringComparison.Ordinal)]);

        await _client.Batch(batchId).StartAsync();
        await StoredBatches.WaitUntilCompletedAsync(_database, batchId, Patience);

        var rows = await StoredBatches.RowsAsync(_database, batchId);
        Assert.Equal(["duplicateCandidate", "applied"], rows.Select(stored => stored.Status));
        var candidate = rows[0].Result!.Value.GetProperty("candidates")[0];
        Assert.Equal(registered.Resident.PersonalIdNumber.Value, candidate.GetProperty("personalIdNumber").GetString());
        Assert.NotEqual(registered.Resident.PersonalIdNumber.Value, rows[1].Number());
    }

    /// <summary>A CSV batch is read by its stored header: a registration, then an amendment of that person.</summary>
    [Fact]
    public async Task A_CSV_batch_is_processed_by_its_header()
    {
        var batchId = StoredBatches.NewId("csv");
        var issued = NewNumber("0010", "75");
        await StoredBatches.StoreAsync(_database, batchId, TestActors.Officer("001"), "001",
        [
            $"registration,Đỗ Văn Mười,1975-04-30,male,001,{issued},,,,,",
            $"amendment,,,,,,{issued},ethnicity,Kinh,Bổ sung,QĐ-7/2026",
        ], csvHeader: "kind,fullName,birthDate,sex,birthRegistrationProvince,issuedNumber,personalIdNumber,field,value,reason,documentReference");

        await _client.Batch(batchId).StartAsync();
        await StoredBatches.WaitUntilCompletedAsync(_database, batchId, Patience);

        Assert.Equal(["applied", "applied"], (await StoredBatches.RowsAsync(_database, batchId)).Select(row => row.Status));
        Assert.True(PersonalIdNumber.TryParse(issued, out var number, out _));
        Assert.Equal("Kinh", (await _client.Citizen(number).GetAsync())?.Ethnicity);
    }

    /// <summary>Starting says what a batch is: unknown, still receiving, or completed (and then changes nothing).</summary>
    [Fact]
    public async Task Starting_reports_unknown_receiving_and_completed_batches()
    {
        var batchId = StoredBatches.NewId("again");
        await StoredBatches.StoreAsync(_database, batchId, TestActors.Administrator, "001",
            ["""{"kind":"registration","fullName":"Hồ Thị Lan","birthDate":"2001-02-03","sex":"female","birthRegistrationProvince":"001"}"""]);
        await _client.Batch(batchId).StartAsync();
        await StoredBatches.WaitUntilCompletedAsync(_database, batchId, Patience);
        var results = await StoredBatches.RowsAsync(_database, batchId);
        var receiving = StoredBatches.NewId("receiving");
        await StoredBatches.StoreAsync(_database, receiving, TestActors.Administrator, "001", []);
        await TestDatabase.ScalarAsync<int>(_database, "UPDATE registry.batch SET status = 'receiving' WHERE batch_id = $1 RETURNING 1", receiving);

        Assert.Null(await _client.Batch(StoredBatches.NewId("unknown")).StartAsync());
        Assert.Equal(BatchStatus.Receiving, await _client.Batch(receiving).StartAsync());
        Assert.Equal(BatchStatus.Completed, await _client.Batch(batchId).StartAsync());
        Assert.Equal(results.Select(row => (row.RowNumber, row.Status, row.Result?.GetRawText())),
            (await StoredBatches.RowsAsync(_database, batchId)).Select(row => (row.RowNumber, row.Status, row.Result?.GetRawText())));
    }

    /// <summary>An empty batch completes at once.</summary>
    [Fact]
    public async Task An_empty_batch_completes()
    {
        var batchId = StoredBatches.NewId("empty");
        await StoredBatches.StoreAsync(_database, batchId, TestActors.Administrator, "001", []);

        await _client.Batch(batchId).StartAsync();

        await StoredBatches.WaitUntilCompletedAsync(_database, batchId, Patience);
    }

    // A number not used by any other test: the prefix (province, sex/century digit) and year given, a random serial.
    private static string NewNumber(string provinceAndDigit, string year) =>
        provinceAndDigit + year + Random.Shared.Next(0, 1_000_000).ToString("000000", CultureInfo.InvariantCulture);
}
