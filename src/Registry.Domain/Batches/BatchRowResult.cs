using System.Text.Json;
using System.Text.Json.Serialization;
using Registry.Contracts;
using Registry.Contracts.Residents;

namespace Registry.Domain.Batches;

/// <summary>
/// What is recorded for a processed row, as <c>registry.batch_row.result</c> and in the API's results: the person's
/// number when applied, the candidates when a duplicate is suspected, the errors (named by field) when rejected.
/// </summary>
public sealed record BatchRowResult
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Names stay readable in the stored JSON and in psql; the text is JSON data, never embedded in HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The person registered or amended (their current number, which a correction may have changed).</summary>
    public string? PersonalIdNumber { get; init; }

    /// <summary>People already registered who may be the one in the row.</summary>
    public IReadOnlyList<DuplicateCandidate>? Candidates { get; init; }

    /// <summary>Why the row was rejected.</summary>
    public IReadOnlyList<FieldError>? Errors { get; init; }

    /// <summary>The earlier row of the same batch with identical content, when that is why the row was rejected.</summary>
    public int? SameAsRow { get; init; }

    /// <summary>A rejection for one reason.</summary>
    public static BatchRowResult Rejection(string field, string message) => new() { Errors = [new FieldError(field, message)] };

    /// <summary>The result as stored (JSON, camelCase, absent members left out).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>How the outcome of a row's command becomes its status and result. Pure.</summary>
public static class BatchRowOutcomes
{
    /// <summary>The status and result of a row whose registration ended with <paramref name="outcome"/>.</summary>
    public static (BatchRowStatus Status, BatchRowResult Result) From(RegistrationOutcome outcome) => outcome switch
    {
        Registered registered => (BatchRowStatus.Applied, new BatchRowResult { PersonalIdNumber = registered.Resident.PersonalIdNumber.Value }),
        DuplicateCandidatesFound found => (BatchRowStatus.DuplicateCandidate, new BatchRowResult { Candidates = found.Candidates }),
        RegistrationRefused refused => Rejected(refused.Refusal),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown registration outcome."),
    };

    /// <summary>The status and result of a row whose amendment ended with <paramref name="outcome"/>.</summary>
    public static (BatchRowStatus Status, BatchRowResult Result) From(ChangeOutcome outcome) => outcome switch
    {
        Changed changed => (BatchRowStatus.Applied, new BatchRowResult { PersonalIdNumber = changed.Resident.PersonalIdNumber.Value }),
        ChangeRefused refused => Rejected(refused.Refusal),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown change outcome."),
    };

    /// <summary>The result of a row identical to the earlier row <paramref name="earlierRow"/> of the same batch.</summary>
    public static (BatchRowStatus Status, BatchRowResult Result) SameAs(int earlierRow) =>
        (BatchRowStatus.Rejected, BatchRowResult.Rejection(BatchLimits.RowField, $"same as row {earlierRow}") with { SameAsRow = earlierRow });

    // A row's key is derived from the batch id and the row number, not given by the province: a refusal of it is the row's.
    private static (BatchRowStatus, BatchRowResult) Rejected(Refusal refusal) => refusal.Errors.Length == 0
        ? (BatchRowStatus.Rejected, BatchRowResult.Rejection(BatchLimits.RowField, refusal.Title))
        : (BatchRowStatus.Rejected, new BatchRowResult
        {
            Errors = [.. refusal.Errors.Select(error => error.Field == "idempotencyKey" ? error with { Field = BatchLimits.RowField } : error)],
        });
}
