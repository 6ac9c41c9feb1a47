using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Registry.Database.Audit;
using Registry.LoadTests.Running;

namespace Registry.LoadTests.Scenarios;

/// <summary>
/// The audit log as the API writes it: one <see cref="AuditLog"/> with its chains, and every request is one
/// <c>AppendAsync</c> of an officer's read of a person, completing when its row is committed (the wait every audited
/// response has). After the run, the whole log is verified as <c>registry-admin audit verify</c> does, and the report
/// gives its time and rate.
/// </summary>
internal sealed class AuditScenario(int chains) : ILoadScenario<AuditScenario.Worker>, ICheckedAfterRun, IAsyncDisposable
{
    public const string ScenarioName = "audit";

    public const string ScenarioDescription =
        "Each request appends one audit row (an officer's read of one person: purpose, note, 4 fields) through AuditLog.AppendAsync " +
        "(group commit, hash chains) and waits for its commit; afterwards the whole log is verified (every hash recomputed, links, positions, seals).";

    private static readonly string[][] FieldSets =
    [
        ["fullName", "birthDate", "sex", "permanentAddress"],
        ["fullName", "permanentAddress", "temporaryResidence", "hometown"],
        ["fullName", "birthDate", "mother", "father"],
    ];

    private AuditLog? log;
    private Npgsql.NpgsqlDataSource? database;
    private AuditVerificationResult? verified;

    public string Name => ScenarioName;

    public string Description => ScenarioDescription;

    public static Command CreateCommand()
    {
        var chainsOption = new Option<int>("--chains")
        {
            Description = "Writers (hash chains), as the API's Registry:Audit:Chains.",
            DefaultValueFactory = static _ => 2,
        };
        ScenarioCommand.MustBeWithin(chainsOption, 1, 64);
        return ScenarioCommand.Create(
            new DatabaseTarget(), ScenarioName, ScenarioDescription, parse => new AuditScenario(parse.GetValue(chainsOption)), chainsOption);
    }

    public ValueTask SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        database = context.Database;
        log = new AuditLog(database, chains, NullLogger<AuditLog>.Instance);
        return ValueTask.CompletedTask;
    }

    public ValueTask<Worker> CreateWorkerAsync(ScenarioContext context, int workerIndex, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new Worker(context.RandomFor(workerIndex)));

    public async ValueTask<RequestOutcome> IssueOneAsync(Worker worker, CancellationToken cancellationToken)
    {
        var random = worker.Random;
        var province = ResidentGenerator.ProvinceCodes2024[random.Next(ResidentGenerator.ProvinceCodes2024.Count)];
        var person = string.Create(CultureInfo.InvariantCulture, $"{province}{random.Next(4)}{random.Next(100):00}{random.Next(1_000_000):000000}");
        await log!.AppendAsync(new AuditRecord(
            AuditRecord.ToStoredPrecision(DateTimeOffset.UtcNow),
            $"officer-{province}-{random.Next(200):000}",
            "provincial-officer",
            province,
            "desk-app",
            "residence-registration",
            string.Create(CultureInfo.InvariantCulture, $"application {random.Next(10_000_000)}"),
            "GET /residents/{personalIdNumber}",
            [person],
            FieldSets[random.Next(FieldSets.Length)],
            "allowed",
            200,
            null), cancellationToken);
        return RequestOutcome.Success("appended");
    }

    public async ValueTask CheckAfterRunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        // Stopping the writer seals the chains where they end, as the API does when it stops.
        await log!.DisposeAsync();
        verified = await new AuditVerification(database!).VerifyAsync(cancellationToken: cancellationToken);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"audit verify: {verified.Rows:N0} rows in {verified.Chains:N0} chains, {verified.Elapsed.TotalSeconds:N1} s ({verified.RowsPerSecond:N0} rows/s), {verified.Breaks.Count} broken"));
    }

    public IEnumerable<KeyValuePair<string, string>> DescribeParameters()
    {
        yield return new("writers", string.Create(CultureInfo.InvariantCulture, $"{chains} chains, group commit of up to {AuditLog.MaxBatchSize} rows (binary COPY)"));
        yield return new("appended", string.Create(CultureInfo.InvariantCulture, $"{log?.Appended ?? 0:N0} rows committed by this run, warm-up included"));
        if (verified is not null)
        {
            yield return new("audit verify (whole table)", string.Create(CultureInfo.InvariantCulture,
                $"{verified.Rows:N0} rows in {verified.Chains:N0} chains: {verified.Elapsed.TotalSeconds:N1} s, {verified.RowsPerSecond:N0} rows/s; {(verified.Breaks.Count == 0 ? "intact" : $"{verified.Breaks.Count} chain(s) broken")}"));
        }

        yield return new("success", "AppendAsync completed: the row's transaction committed");
    }

    public async ValueTask DisposeAsync()
    {
        if (log is not null)
        {
            await log.DisposeAsync();
        }
    }

    /// <summary>One worker's random source.</summary>
    internal sealed record Worker(Random Random);
}
