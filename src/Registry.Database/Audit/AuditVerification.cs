using System.Diagnostics;
using Npgsql;

namespace Registry.Database.Audit;

/// <summary>
/// Reads the whole audit log in chain and position order, a keyset page at a time (never all of it in memory), and
/// checks every chain with <see cref="AuditChainCheck"/>: the work of <c>registry-admin audit verify</c>.
/// </summary>
public sealed class AuditVerification(NpgsqlDataSource database)
{
    /// <summary>Rows read per page: large enough that the round trips vanish, small enough to stay a few MiB.</summary>
    public const int PageSize = 10_000;

    // The primary key serves both the order and the keyset condition; the seal of a position comes along.
    private const string PageSql =
        """
        SELECT e.chain_id, e.position, e.accessed_at, e.actor_id, e.actor_role, e.actor_province, e.client, e.purpose,
               e.purpose_note, e.endpoint, e.person_numbers, e.fields, e.outcome, e.status_code, e.reason,
               e.previous_hash, e.hash, s.hash
        FROM registry.audit_entry e
        LEFT JOIN registry.audit_seal s ON s.chain_id = e.chain_id AND s.position = e.position
        WHERE (e.chain_id, e.position) > ($1, $2)
        ORDER BY e.chain_id, e.position
        LIMIT $3
        """;

    // One row per chain ever opened: a few per API process start.
    private const string LastSealsSql =
        """
        SELECT DISTINCT ON (chain_id) chain_id, position, sealed_at
        FROM registry.audit_seal
        ORDER BY chain_id, position DESC
        """;

    /// <summary>Checks every chain; <paramref name="progress"/> hears the rows read so far after each page.</summary>
    public async Task<AuditVerificationResult> VerifyAsync(Action<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var seals = await ReadLastSealsAsync(cancellationToken);
        var breaks = new List<ChainBreak>();
        var chains = 0;
        long rows = 0;
        AuditChainCheck? check = null;
        StoredAuditRow? pending = null;

        void Finish()
        {
            if (check is null)
            {
                return;
            }

            var seal = seals.GetValueOrDefault(check.ChainId);
            seals.Remove(check.ChainId);
            check.End(seal?.Position, seal?.SealedAt);
            if (check.Break is { } broken)
            {
                breaks.Add(broken);
            }
        }

        var (afterChain, afterPosition) = (string.Empty, 0L);
        while (true)
        {
            var page = await ReadPageAsync(afterChain, afterPosition, cancellationToken);
            foreach (var row in page)
            {
                if (pending is not null)
                {
                    check!.Check(pending, string.Equals(pending.ChainId, row.ChainId, StringComparison.Ordinal) ? row : null);
                }

                if (check is null || !string.Equals(check.ChainId, row.ChainId, StringComparison.Ordinal))
                {
                    Finish();
                    check = new AuditChainCheck(row.ChainId);
                    chains++;
                }

                pending = row;
            }

            rows += page.Count;
            progress?.Invoke(rows);
            if (page.Count < PageSize)
            {
                break;
            }

            (afterChain, afterPosition) = (page[^1].ChainId, page[^1].Position);
        }

        if (pending is not null)
        {
            check!.Check(pending, null);
        }

        Finish();

        // Chains sealed but without a single row left: all of them were deleted.
        foreach (var (chainId, seal) in seals.Where(seal => seal.Value.Position > 0))
        {
            var empty = new AuditChainCheck(chainId);
            empty.End(seal.Position, seal.SealedAt);
            breaks.Add(empty.Break!);
            chains++;
        }

        return new AuditVerificationResult(chains, rows, breaks, stopwatch.Elapsed);
    }

    private async Task<Dictionary<string, Seal>> ReadLastSealsAsync(CancellationToken cancellationToken)
    {
        var seals = new Dictionary<string, Seal>(StringComparer.Ordinal);
        await using var command = database.CreateCommand(LastSealsSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            seals[reader.GetString(0)] = new Seal(reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2));
        }

        return seals;
    }

    private async Task<List<StoredAuditRow>> ReadPageAsync(string afterChain, long afterPosition, CancellationToken cancellationToken)
    {
        var page = new List<StoredAuditRow>(PageSize);
        await using var command = database.CreateCommand(PageSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = afterChain });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterPosition });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = PageSize });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var record = new AuditRecord(
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetString(3),
                Text(reader, 4),
                Text(reader, 5),
                Text(reader, 6),
                Text(reader, 7),
                Text(reader, 8),
                reader.GetString(9),
                reader.GetFieldValue<string[]>(10),
                reader.GetFieldValue<string[]>(11),
                reader.GetString(12),
                reader.GetInt16(13),
                Text(reader, 14));
            page.Add(new StoredAuditRow(
                reader.GetString(0), reader.GetInt64(1), record, reader.GetFieldValue<byte[]>(15), reader.GetFieldValue<byte[]>(16),
                reader.IsDBNull(17) ? null : reader.GetFieldValue<byte[]>(17)));
        }

        return page;
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private sealed record Seal(long Position, DateTimeOffset SealedAt);
}

/// <summary>What <see cref="AuditVerification.VerifyAsync"/> found.</summary>
/// <param name="Chains">Chains checked.</param>
/// <param name="Rows">Rows read.</param>
/// <param name="Breaks">The first broken row of each broken chain; empty when the log is intact.</param>
/// <param name="Elapsed">How long it took.</param>
public sealed record AuditVerificationResult(int Chains, long Rows, IReadOnlyList<ChainBreak> Breaks, TimeSpan Elapsed)
{
    /// <summary>Rows checked per second.</summary>
    public double RowsPerSecond => Elapsed > TimeSpan.Zero ? Rows / Elapsed.TotalSeconds : 0;
}
