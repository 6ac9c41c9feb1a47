using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Registry.Database.Resumption;

namespace Registry.LoadTests.Planning;

/// <summary>One invariant as the check found it.</summary>
/// <param name="Name">The invariant.</param>
/// <param name="Passed">True when it held.</param>
/// <param name="Detail">What was found: the figures, or what broke it and how.</param>
/// <param name="Attempts">Attempts made within the bound.</param>
/// <param name="Seconds">How long the check took.</param>
internal sealed record InvariantResult(string Name, bool Passed, string Detail, int Attempts, double Seconds);

/// <summary>
/// The check every planner scenario ends with, on the registry's own terms (DESIGN.md's invariants): every acknowledged
/// registration is in the read model and readable through the API; every acknowledged move left its person in the
/// destination province; the provinces' counters equal the read model (the registry's reconciliation,
/// <c>GET /provinces/reconciliation</c>); no citizen is left in the unfinished-work register. Each is retried with
/// backoff within a bound, since a cold cluster's first calls time out and work in flight settles, and each failure
/// is reported with its reason, never thrown.
/// </summary>
internal static class InvariantCheck
{
    /// <summary>People looked up per statement.</summary>
    private const int Chunk = 10_000;

    /// <summary>Acknowledged registrations read back through the API as well (each read is audited, so a sample).</summary>
    private const int ApiSample = 20;

    public static async Task<IReadOnlyList<InvariantResult>> RunAsync(PlanContext context, TimeSpan within, TextWriter output, IEnumerable<ScenarioInvariant>? ownInvariants = null)
    {
        var results = new List<InvariantResult>();
        async Task Check(string name, Func<CancellationToken, Task<(bool Passed, string Detail)>> attempt)
        {
            var result = await Bounded.UntilAsync(attempt, static outcome => outcome.Passed, within, context.Cancellation);
            var detail = result.Last.Detail ?? "no answer";
            if (result.LastFailure is { } failure)
            {
                detail = $"the last attempt threw {failure.GetType().Name}: {failure.Message}";
            }

            var entry = new InvariantResult(name, result.Done, detail, result.Attempts, result.Elapsed.TotalSeconds);
            results.Add(entry);
            await output.WriteLineAsync($"check: {(entry.Passed ? "passed" : "FAILED")} — {name}: {detail}");
        }

        var registered = context.Acknowledged.Registrations.ToArray();
        await Check("every acknowledged registration is in the read model", token => RegistrationsPresentAsync(context.Database, registered, token));
        await Check("every acknowledged registration is readable through the API (a sample)", token => RegistrationsReadableAsync(context.Api, registered, token));
        var moves = context.Acknowledged.Moves.ToArray();
        await Check("every acknowledged move left its person in the destination province", token => MovesAppliedAsync(context.Database, moves, token));
        await Check("the province counters equal the read model (GET /provinces/reconciliation)", token => ReconciledAsync(context.Api, token));
        await using var unfinished = new UnfinishedWork(context.Database, NullLogger<UnfinishedWork>.Instance);
        await Check("no unfinished work left (the unfinished-work register is empty)", token => NothingUnfinishedAsync(unfinished, token));
        foreach (var invariant in ownInvariants ?? [])
        {
            await Check(invariant.Name, invariant.Attempt);
        }

        return results;
    }

    private static async Task<(bool, string)> RegistrationsPresentAsync(NpgsqlDataSource database, string[] registered, CancellationToken cancellationToken)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in registered.Chunk(Chunk))
        {
            await foreach (var (number, _) in ResidencesAsync(database, chunk, cancellationToken))
            {
                found.Add(number);
            }
        }

        var missing = registered.Where(number => !found.Contains(number)).ToArray();
        return missing.Length == 0
            ? (true, string.Create(CultureInfo.InvariantCulture, $"all {registered.Length:N0} found"))
            : (false, string.Create(CultureInfo.InvariantCulture, $"{missing.Length:N0} of {registered.Length:N0} missing, e.g. {string.Join(", ", missing.Take(5))}"));
    }

    private static async Task<(bool, string)> RegistrationsReadableAsync(HttpClient api, string[] registered, CancellationToken cancellationToken)
    {
        var sample = registered.Length <= ApiSample ? registered : [.. Enumerable.Range(0, ApiSample).Select(i => registered[(int)((long)i * registered.Length / ApiSample)])];
        foreach (var number in sample)
        {
            using var response = await api.GetAsync($"residents/{number}", cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (false, $"GET /residents/{number} answered {(int)response.StatusCode}");
            }
        }

        return (true, string.Create(CultureInfo.InvariantCulture, $"{sample.Length} of {registered.Length:N0} read, each 200"));
    }

    private static async Task<(bool, string)> MovesAppliedAsync(NpgsqlDataSource database, KeyValuePair<string, string>[] moves, CancellationToken cancellationToken)
    {
        var wrong = new List<string>();
        var seen = 0;
        foreach (var chunk in moves.Chunk(Chunk))
        {
            var expected = chunk.ToDictionary(static move => move.Key, static move => move.Value, StringComparer.Ordinal);
            await foreach (var (number, province) in ResidencesAsync(database, [.. expected.Keys], cancellationToken))
            {
                seen++;
                if (province != expected[number])
                {
                    wrong.Add($"{number} in {province}, not {expected[number]}");
                }
            }
        }

        var missing = moves.Length - seen;
        return wrong.Count == 0 && missing == 0
            ? (true, string.Create(CultureInfo.InvariantCulture, $"all {moves.Length:N0} people where their last acknowledged move took them"))
            : (false, string.Create(CultureInfo.InvariantCulture, $"{wrong.Count:N0} elsewhere, {missing:N0} not in the read model, of {moves.Length:N0}; e.g. {string.Join("; ", wrong.Take(5))}"));
    }

    private static async Task<(bool, string)> ReconciledAsync(HttpClient api, CancellationToken cancellationToken)
    {
        using var response = await api.GetAsync("provinces/reconciliation", cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (false, $"the API answered {(int)response.StatusCode}: {text[..Math.Min(200, text.Length)]}");
        }

        using var report = JsonDocument.Parse(text);
        var root = report.RootElement;
        var drifting = root.GetProperty("provinces").EnumerateArray()
            .Where(static province => province.GetProperty("drift").GetInt64() != 0)
            .Select(static province => string.Create(CultureInfo.InvariantCulture,
                $"{province.GetProperty("provinceCode").GetString()} {province.GetProperty("drift").GetInt64():+#,0;-#,0}"))
            .ToArray();
        var counted = root.GetProperty("counted").GetInt64();
        var inReadModel = root.GetProperty("inReadModel").GetInt64();
        return drifting.Length == 0 && counted == inReadModel
            ? (true, string.Create(CultureInfo.InvariantCulture, $"counters {counted:N0} = read model {inReadModel:N0}, no province drifts"))
            : (false, string.Create(CultureInfo.InvariantCulture, $"counters {counted:N0}, read model {inReadModel:N0}; drift {string.Join(", ", drifting)}"));
    }

    private static async Task<(bool, string)> NothingUnfinishedAsync(UnfinishedWork register, CancellationToken cancellationToken)
    {
        // Everyone marked before a day from now: every mark there is.
        var marked = await register.ListMarkedBeforeAsync(DateTimeOffset.UtcNow.AddDays(1), 10, cancellationToken);
        return marked.Length == 0
            ? (true, "empty")
            : (false, $"{marked.Length}{(marked.Length == 10 ? " or more" : "")} citizens marked, e.g. {string.Join(", ", marked.Take(5).Select(static number => number.Value))}");
    }

    /// <summary>The permanent residence province of those of <paramref name="numbers"/> the read model holds, alive or not.</summary>
    private static async IAsyncEnumerable<(string Number, string Province)> ResidencesAsync(
        NpgsqlDataSource database, string[] numbers, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT personal_id, permanent_residence_province FROM registry.resident WHERE personal_id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = numbers, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Char });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return (reader.GetString(0), reader.IsDBNull(1) ? "" : reader.GetString(1));
        }
    }
}
