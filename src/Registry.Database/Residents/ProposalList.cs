using Npgsql;
using NpgsqlTypes;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Access;

namespace Registry.Database.Residents;

/// <summary>One open proposal as a province's list shows it.</summary>
/// <param name="Id">The proposal's id.</param>
/// <param name="PersonalIdNumber">The person's number when proposed.</param>
/// <param name="Kind"><c>death</c> or <c>amendment</c>.</param>
/// <param name="Fields">The fields the change touches (<c>death</c> for a death).</param>
/// <param name="ProposedById">The proposer's id.</param>
/// <param name="ProposedByRole">The proposer's role, as <see cref="Registry.Contracts.Access.ActorRole"/> names it.</param>
/// <param name="ProposedAt">When it was proposed.</param>
/// <param name="ExpiresAt">When it can no longer be approved.</param>
public sealed record OpenProposal(
    string Id, PersonalIdNumber PersonalIdNumber, string Kind, string[] Fields, string ProposedById, string ProposedByRole,
    DateTimeOffset ProposedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// The proposals in <c>registry.proposal</c> (migration 0019): written by each proposal grain after it stores a change,
/// read as a province's list of open proposals.
/// </summary>
public sealed class ProposalList(NpgsqlDataSource database)
{
    /// <summary>Writes <paramref name="proposal"/> as of the grain's state <paramref name="version"/>; an older version changes nothing.</summary>
    public async Task WriteAsync(Proposal proposal, long version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        await using var command = database.CreateCommand(
            """
            INSERT INTO registry.proposal (id, personal_id_number, province_code, kind, fields, proposed_by_id, proposed_by_role,
                                           proposed_at, expires_at, status, decided_by_id, decided_at, version)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT (id) DO UPDATE
                SET status = EXCLUDED.status, decided_by_id = EXCLUDED.decided_by_id, decided_at = EXCLUDED.decided_at, version = EXCLUDED.version
                WHERE registry.proposal.version < EXCLUDED.version
            """);
        var proposer = proposal.Change.Proposer;
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = proposal.Id, NpgsqlDbType = NpgsqlDbType.Char });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = proposal.PersonalIdNumber.Value, NpgsqlDbType = NpgsqlDbType.Char });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = proposal.ProvinceCode, NpgsqlDbType = NpgsqlDbType.Char });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = proposal.Change.Death is not null ? "death" : "amendment" });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = FourEyes.FieldsOf(proposal.Change) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = proposer.Id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = proposer.Role.ToString() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = proposal.ProposedAt });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = proposal.ExpiresAt });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = proposal.Status.ToString().ToLowerInvariant() });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)proposal.DecidedBy?.Id ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)proposal.DecidedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = version });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The open proposals of <paramref name="provinceCode"/> not expired at <paramref name="now"/>, oldest first.</summary>
    public async Task<IReadOnlyList<OpenProposal>> OpenInAsync(string provinceCode, DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(
            """
            SELECT id, personal_id_number, kind, fields, proposed_by_id, proposed_by_role, proposed_at, expires_at
            FROM registry.proposal
            WHERE status = 'open' AND province_code = $1 AND expires_at > $2
            ORDER BY proposed_at, id
            LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = provinceCode, NpgsqlDbType = NpgsqlDbType.Char });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var proposals = new List<OpenProposal>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            proposals.Add(new OpenProposal(
                reader.GetString(0),
                PersonalIdNumber.TryParse(reader.GetString(1), out var number, out var error) ? number : throw new InvalidOperationException(error),
                reader.GetString(2),
                reader.GetFieldValue<string[]>(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6),
                reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return proposals;
    }
}
