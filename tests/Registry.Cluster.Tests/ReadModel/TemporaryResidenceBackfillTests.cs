using System.Text;
using Npgsql;
using Registry.Database.Schema;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.ReadModel;

/// <summary>
/// Migration 0024 on a real PostgreSQL: rows of the read model projected before migration 0021 gain the temporary
/// residence their citizen's stored state holds, so that an officer's search finds them; a row the projection has
/// filled already, and a person with no temporary residence, are left as they are.
/// </summary>
public sealed class TemporaryResidenceBackfillTests(ReadModelDatabase database) : IClassFixture<ReadModelDatabase>
{
    private const string Migration = "0024_registry_resident_temporary_residence_backfill";

    /// <summary>The backfill reads the stored state, fills empty rows only, and can run again without changing anything.</summary>
    [Fact]
    public async Task Rows_projected_before_0021_gain_the_temporary_residence_of_their_stored_state()
    {
        var staying = People.Snapshot("Lò Văn Ở", residenceProvince: "011");
        var projectedSince = People.Snapshot("Lò Thị Mới", residenceProvince: "011");
        var atHome = People.Snapshot("Lò Văn Nhà", residenceProvince: "011");
        await using (var projection = database.NewProjection())
        {
            await projection.ProjectAllAsync([staying, projectedSince, atHome]);
        }

        // As before 0021: no temporary residence in the read model, though the grain's state holds one.
        await ExecuteAsync("UPDATE registry.resident SET temporary_residence_province = NULL, temporary_residence_until = NULL");
        await ExecuteAsync(
            $"UPDATE registry.resident SET temporary_residence_province = '079', temporary_residence_until = '2027-06-30' WHERE personal_id = '{projectedSince.Resident.PersonalIdNumber.Value}'");
        await StoreCitizenStateAsync(staying.Resident.PersonalIdNumber.Value, """{"address":{"provinceCode":"001","communeCode":"00004","address":"3 Phố Huế"},"from":"2026-01-10","until":"2027-01-09"}""");
        await StoreCitizenStateAsync(projectedSince.Resident.PersonalIdNumber.Value, """{"address":{"provinceCode":"001","communeCode":"00004","address":"9 Phố Huế"},"from":"2026-01-10","until":"2027-01-09"}""");
        await StoreCitizenStateAsync(atHome.Resident.PersonalIdNumber.Value, "null");

        await ExecuteAsync(MigrationText());
        await ExecuteAsync(MigrationText());

        Assert.Equal("001 2027-01-09", await TemporaryResidenceAsync(staying.Resident.PersonalIdNumber.Value));
        Assert.Equal("079 2027-06-30", await TemporaryResidenceAsync(projectedSince.Resident.PersonalIdNumber.Value));
        Assert.Equal("none", await TemporaryResidenceAsync(atHome.Resident.PersonalIdNumber.Value));
    }

    private static string MigrationText()
    {
        Assert.Contains($"{Migration}.sql", SchemaMigrator.Known());
        var assembly = typeof(SchemaMigrator).Assembly;
        using var stream = assembly.GetManifestResourceStream($"Registry.Database.Migrations.{Migration}.sql")
            ?? throw new InvalidOperationException($"{Migration} is not embedded in Registry.Database.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    // A citizen grain's stored state as the silo's JSON serializer writes it, cut down to what the backfill reads.
    private async Task StoreCitizenStateAsync(string personalIdNumber, string temporaryResidence)
    {
        var state = "{\"resident\":{\"personalIdNumber\":\"" + personalIdNumber + "\",\"temporaryResidence\":" + temporaryResidence + "}}";
        await using var command = database.DataSource.CreateCommand(
            """
            INSERT INTO orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, grainidextensionstring, serviceid, payloadbinary, version)
            VALUES (hashtext($1), 0, 0, hashtext('citizen'), 'citizen', $1, 'registry-tests', convert_to($2, 'UTF8'), 1)
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = personalIdNumber });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = state });
        await command.ExecuteNonQueryAsync();
    }

    private async Task<string> TemporaryResidenceAsync(string personalIdNumber) =>
        await TestDatabase.ScalarAsync<string>(database.ConnectionString,
            "SELECT coalesce(temporary_residence_province || ' ' || temporary_residence_until::text, 'none') FROM registry.resident WHERE personal_id = $1",
            personalIdNumber);

    private async Task ExecuteAsync(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
