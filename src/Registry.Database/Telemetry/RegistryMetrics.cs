using System.Diagnostics;
using System.Diagnostics.Metrics;
using Registry.Contracts.Cards;
using Registry.Contracts.Provinces;
using Registry.Domain.Access;
using Registry.Domain.Batches;

namespace Registry.Database.Telemetry;

/// <summary>
/// The registry's own meter and every instrument on it, defined once. This room is the lowest one every recorder
/// reaches: the grains (registrations, relocations, deaths, card steps, batch rows, event lag), the API (refusals) and
/// the audit writer in this project (audit rows, batch sizes, commit times). The meter is the runtime's (no package):
/// hosts decide whether anything listens, and with no listener a recording costs next to nothing.
/// </summary>
/// <remarks>
/// Tags stay few and bounded, so that a time series database holds a handful of series per instrument: at most a
/// province code (63 before the 2025 merger, 34 after; anything else is tagged <see cref="OtherProvince"/>), never a
/// personal ID number, a name or an actor. Counts are made where a change is first stored, never on a replay, so a
/// repeated request counts once; a store whose outcome is unknown (its call failed) is not counted, so the counters may
/// fall short of the ledger by such rare failures, and the ledger, not the metric, is the registry's record.
/// </remarks>
public static class RegistryMetrics
{
    /// <summary>The meter's name, which hosts listen to.</summary>
    public const string MeterName = "Registry";

    /// <summary>The tag value of a province code outside the catalogue (kept out of the tags to bound them).</summary>
    public const string OtherProvince = "other";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Registrations = Meter.CreateCounter<long>(
        "registry.registrations", "{person}", "People registered, by the province of their permanent residence.");

    private static readonly Counter<long> Relocations = Meter.CreateCounter<long>(
        "registry.relocations", "{person}", "Permanent residences moved, by destination province; a household's move counts each member once.");

    private static readonly Counter<long> Deaths = Meter.CreateCounter<long>(
        "registry.deaths", "{person}", "Deaths recorded, by the province of the permanent residence.");

    private static readonly Counter<long> CardSteps = Meter.CreateCounter<long>(
        "registry.card.steps", "{step}", "Steps of identity cards' lifecycles, by kind of step.");

    private static readonly Counter<long> BatchRows = Meter.CreateCounter<long>(
        "registry.batch.rows", "{row}", "Rows of provinces' batch files finished, by outcome.");

    private static readonly Counter<long> AuditRows = Meter.CreateCounter<long>(
        "registry.audit.rows", "{row}", "Audit log rows committed, by the outcome of the request they record.");

    // Powers of two up to the writer's largest batch (AuditLog.MaxBatchSize): how well group commit is grouping.
    private static readonly Histogram<int> AuditBatchSize = Meter.CreateHistogram(
        "registry.audit.batch.size", "{row}", "Rows in one committed audit batch (one COPY, one transaction).",
        tags: null, advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });

    // A request waits for its row's commit before it is answered: this is the audit's share of a request's latency.
    private static readonly Histogram<double> AuditCommitDuration = Meter.CreateHistogram(
        "registry.audit.commit.duration", "s", "Time to write and commit one audit batch.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    // Subscribers see an event no earlier than this after it was recorded; the publisher polls every half second.
    private static readonly Histogram<double> EventLag = Meter.CreateHistogram(
        "registry.events.lag", "s", "Time from an event's recording in the ledger to its publication on the event stream.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600] });

    private static readonly Counter<long> Refusals = Meter.CreateCounter<long>(
        "registry.refusals", "{request}", "Requests not answered as asked, by kind (denied, refused, failed) and HTTP status.");

    /// <summary>A person registered, counted in <paramref name="provinceCode"/>.</summary>
    public static void Registered(string provinceCode) => Registrations.Add(1, Province(provinceCode));

    /// <summary>A person's permanent residence moved to <paramref name="provinceCode"/>.</summary>
    public static void Relocated(string provinceCode) => Relocations.Add(1, Province(provinceCode));

    /// <summary>A death recorded of a resident of <paramref name="provinceCode"/>.</summary>
    public static void Died(string provinceCode) => Deaths.Add(1, Province(provinceCode));

    /// <summary>A card took <paramref name="step"/>.</summary>
    public static void CardStepTaken(CardStepKind step) => CardSteps.Add(1, new KeyValuePair<string, object?>("step", StepName(step)));

    /// <summary>Rows of a batch finished, <paramref name="count"/> of them with <paramref name="status"/>.</summary>
    public static void BatchRowsDone(BatchRowStatus status, int count) =>
        BatchRows.Add(count, new KeyValuePair<string, object?>("outcome", BatchStatusNames.Name(status)));

    /// <summary>An audit batch committed: its rows by outcome, its size and how long it took.</summary>
    /// <param name="outcomes">The <c>outcome</c> of each committed row.</param>
    /// <param name="duration">From opening the connection to the commit.</param>
    public static void AuditBatchCommitted(IEnumerable<string> outcomes, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var size = 0;
        foreach (var (outcome, count) in outcomes.CountBy(static outcome => outcome))
        {
            AuditRows.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
            size += count;
        }

        AuditBatchSize.Record(size);
        AuditCommitDuration.Record(duration.TotalSeconds);
    }

    /// <summary>An event published <paramref name="lag"/> after it was recorded.</summary>
    public static void EventPublished(TimeSpan lag) => EventLag.Record(Math.Max(0, lag.TotalSeconds));

    /// <summary>A request answered with <paramref name="statusCode"/>; counted when it is 400 or above.</summary>
    public static void Answered(int statusCode)
    {
        var outcome = AuditOutcomes.Of(statusCode);
        if (outcome == AuditOutcome.Allowed)
        {
            return;
        }

        var tags = new TagList { { "kind", AuditOutcomes.Name(outcome) }, { "http.response.status_code", statusCode } };
        Refusals.Add(1, tags);
    }

    private static KeyValuePair<string, object?> Province(string? code) =>
        new("province", code is not null && ProvinceCatalog.IsKnown(code) ? code : OtherProvince);

    private static string StepName(CardStepKind step) => step switch
    {
        CardStepKind.Application => "application",
        CardStepKind.Production => "production",
        CardStepKind.Issue => "issue",
        CardStepKind.LossReport => "lossReport",
        CardStepKind.Revocation => "revocation",
        CardStepKind.Expiry => "expiry",
        _ => "other",
    };
}
