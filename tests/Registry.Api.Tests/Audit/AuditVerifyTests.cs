using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Registry.Admin.Audit;
using Registry.Database.Audit;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Audit;

/// <summary>
/// <c>registry-admin audit verify</c> on a log written by the real writer in a scratch database: it passes an intact
/// log, and names the first broken row, and exits 1, after each kind of tampering a superuser could do (who can switch
/// the append-only trigger off, as these tests do).
/// </summary>
public sealed class AuditVerifyTests
{
    private const int Rows = 40;

    /// <summary>An intact log of two chains, written concurrently and sealed, verifies with exit code 0.</summary>
    [Fact]
    public async Task An_intact_log_verifies()
    {
        await using var database = await ScratchDatabase.CreateMigratedAsync("audit-verify-intact");
        await WriteLogAsync(database.ConnectionString, chains: 2, concurrently: true);

        var (exitCode, output) = await VerifyAsync(database.ConnectionString);

        Assert.True(exitCode == 0, output);
        Assert.Contains($"2 chain(s), {Rows} row(s)", output, StringComparison.Ordinal);
        Assert.Contains("intact", output, StringComparison.Ordinal);
    }

    /// <summary>Each tampering is named with the chain, the first broken position and what was done, and the exit code is 1.</summary>
    [Theory]
    [InlineData("changed", 12, "UPDATE registry.audit_entry SET purpose_note = 'nothing to see' WHERE position = 12")]
    [InlineData("deleted", 12, "DELETE FROM registry.audit_entry WHERE position = 12")]
    [InlineData("reordered", 12,
        "UPDATE registry.audit_entry SET position = 1000012 WHERE position = 12; UPDATE registry.audit_entry SET position = 12 WHERE position = 13; " +
        "UPDATE registry.audit_entry SET position = 13 WHERE position = 1000012")]
    [InlineData("tail cut", 31, "DELETE FROM registry.audit_entry WHERE position > 30")]
    public async Task Tampering_is_named_at_the_first_broken_row(string kind, long position, string tampering)
    {
        await using var database = await ScratchDatabase.CreateMigratedAsync("audit-verify-tampered");
        var chain = await WriteLogAsync(database.ConnectionString, chains: 1, concurrently: false);

        await AsSuperuserAsync(database.ConnectionString, tampering);
        var (exitCode, output) = await VerifyAsync(database.ConnectionString);

        Assert.Equal(AuditCommands.Broken, exitCode);
        Assert.Contains($"BROKEN chain {chain} at position {position}: {kind}:", output, StringComparison.Ordinal);
    }

    /// <summary>A row forged with a correct hash of its own, linked to its predecessor and the later rows moved up, is named as inserted.</summary>
    [Fact]
    public async Task An_inserted_row_is_named()
    {
        await using var database = await ScratchDatabase.CreateMigratedAsync("audit-verify-inserted");
        var chain = await WriteLogAsync(database.ConnectionString, chains: 1, concurrently: false);
        var previous = await TestDatabase.ScalarAsync<byte[]>(database.ConnectionString, "SELECT hash FROM registry.audit_entry WHERE position = 11");
        var forged = Record(999) with { ActorId = "nobody-was-here" };
        var hash = AuditChain.Hash(chain, forged, previous);

        await AsSuperuserAsync(database.ConnectionString,
            "UPDATE registry.audit_entry SET position = position + 1000000 WHERE position >= 12; " +
            "UPDATE registry.audit_entry SET position = position - 999999 WHERE position > 1000000");
        await using (var data = NpgsqlDataSource.Create(database.ConnectionString))
        {
            await using var insert = data.CreateCommand(
                """
                INSERT INTO registry.audit_entry (chain_id, position, accessed_at, actor_id, actor_role, actor_province, client, purpose,
                    purpose_note, endpoint, person_numbers, fields, outcome, status_code, reason, previous_hash, hash)
                VALUES ($1, 12, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, NULL, $14, $15)
                """);
            foreach (var value in new object[]
                     {
                         chain, forged.AccessedAt, forged.ActorId, forged.ActorRole!, forged.ActorProvince!, forged.Client!, forged.Purpose!,
                         forged.PurposeNote!, forged.Endpoint, forged.PersonNumbers.ToArray(), forged.Fields.ToArray(), forged.Outcome,
                         (short)forged.StatusCode, previous, hash,
                     })
            {
                insert.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            await insert.ExecuteNonQueryAsync();
        }

        var (exitCode, output) = await VerifyAsync(database.ConnectionString);

        Assert.Equal(AuditCommands.Broken, exitCode);
        Assert.Contains($"BROKEN chain {chain} at position 12: inserted:", output, StringComparison.Ordinal);
    }

    /// <summary>Writes <see cref="Rows"/> records through the real writer and stops it, which seals the chains; returns the first chain's id.</summary>
    private static async Task<string> WriteLogAsync(string connectionString, int chains, bool concurrently)
    {
        await using var data = NpgsqlDataSource.Create(connectionString);
        var log = new AuditLog(data, chains, NullLogger<AuditLog>.Instance);
        await using (log)
        {
            if (concurrently)
            {
                await Task.WhenAll(Enumerable.Range(1, Rows).Select(n => log.AppendAsync(Record(n))));
            }
            else
            {
                for (var n = 1; n <= Rows; n++)
                {
                    await log.AppendAsync(Record(n));
                }
            }
        }

        return $"{log.ChainPrefix}/1";
    }

    private static async Task AsSuperuserAsync(string connectionString, string tampering) =>
        await AuditRows.ExecuteAsync(connectionString,
            $"ALTER TABLE registry.audit_entry DISABLE TRIGGER USER; {tampering}; ALTER TABLE registry.audit_entry ENABLE TRIGGER USER;");

    private static async Task<(int ExitCode, string Output)> VerifyAsync(string connectionString)
    {
        using var output = new StringWriter();
        var root = new RootCommand { AuditCommands.Create() };
        var exitCode = await root.Parse(["audit", "verify", "--connection", connectionString])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output });
        return (exitCode, output.ToString());
    }

    private static AuditRecord Record(int n) => new(
        AuditRecord.ToStoredPrecision(DateTimeOffset.UtcNow),
        $"officer-{n % 3}",
        "provincial-officer",
        "079",
        "127.0.0.1",
        "residence-registration",
        $"file {n}",
        "GET /residents/{personalIdNumber}",
        [$"079190{n:000000}"],
        ["fullName", "permanentAddress"],
        "allowed",
        200,
        null);
}
