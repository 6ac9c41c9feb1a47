using Npgsql;
using NpgsqlTypes;
using Registry.Domain.Access;

namespace Registry.Database.Partners;

/// <summary>
/// Partners' policies in <c>registry.partner_policy</c> (migration 0020): set by central administrators, read on every
/// request of a partner (one primary-key read; no cache, so that narrowing a policy takes effect on the next request)
/// and by the rate limiter for a partner's budget (<see cref="PartnerPolicy.RequestsPerMinute"/>).
/// </summary>
public sealed class PartnerPolicyStore(NpgsqlDataSource database)
{
    private const string Columns = "partner_id, purposes, fields, event_kinds, requests_per_minute, may_verify";

    /// <summary>Stores <paramref name="policy"/>, replacing the partner's earlier one.</summary>
    /// <returns>True when the partner had no policy before.</returns>
    public async Task<bool> PutAsync(PartnerPolicy policy, string updatedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        // xmax is 0 on a row this statement inserted, and the inserting transaction's id on one it updated.
        await using var command = database.CreateCommand(
            $"""
            INSERT INTO registry.partner_policy ({Columns}, updated_by, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, now())
            ON CONFLICT (partner_id) DO UPDATE
            SET purposes = excluded.purposes, fields = excluded.fields, event_kinds = excluded.event_kinds,
                requests_per_minute = excluded.requests_per_minute, may_verify = excluded.may_verify,
                updated_by = excluded.updated_by, updated_at = excluded.updated_at
            RETURNING xmax = 0
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = policy.PartnerId });
        command.Parameters.Add(TextArray(policy.Purposes));
        command.Parameters.Add(TextArray(policy.Fields));
        command.Parameters.Add(TextArray([.. policy.EventKinds.Select(PartnerPolicies.NameOf)]));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = policy.RequestsPerMinute });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = policy.MayVerify });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = updatedBy });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The policy of <paramref name="partnerId"/>; null when it has none.</summary>
    public async Task<PartnerPolicy?> GetAsync(string partnerId, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand($"SELECT {Columns} FROM registry.partner_policy WHERE partner_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = partnerId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Every policy, by partner id.</summary>
    public async Task<PartnerPolicy[]> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand($"SELECT {Columns} FROM registry.partner_policy ORDER BY partner_id");
        var policies = new List<PartnerPolicy>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            policies.Add(Read(reader));
        }

        return [.. policies];
    }

    private static PartnerPolicy Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetFieldValue<string[]>(1),
        reader.GetFieldValue<string[]>(2),
        [.. reader.GetFieldValue<string[]>(3).Select(name => PartnerPolicies.EventKindNames[name])],
        reader.GetInt32(4),
        reader.GetBoolean(5));

    private static NpgsqlParameter<string[]> TextArray(IEnumerable<string> values) =>
        new() { TypedValue = [.. values], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}
