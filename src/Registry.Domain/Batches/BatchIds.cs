using Registry.Domain.Residents;

namespace Registry.Domain.Batches;

/// <summary>
/// Batch ids and the operation ids of their rows. A province chooses the batch id; it is the idempotency key of the
/// upload, and each row's registration key or amendment id is <c>batch:{batchId}:{rowNumber}</c>, so that processing
/// a row again (after a crash) has the effect of once.
/// </summary>
public static class BatchIds
{
    /// <summary>
    /// Longest batch id: "batch:" + 80 + ":" + 10 digits of a row number is 97, inside the
    /// <see cref="RegistrationRules.MaxIdempotencyKeyLength"/> that registrations and amendments accept.
    /// </summary>
    public const int MaxLength = 80;

    /// <summary>Why <paramref name="batchId"/> cannot be a batch id, or null when it can.</summary>
    public static string? Check(string? batchId) =>
        batchId is { Length: > MaxLength } ? $"A batch id has at most {MaxLength} characters; this has {batchId.Length}."
        // The same characters as an idempotency key: the id travels in a URL and becomes part of grain keys.
        : RegistrationRules.CheckIdempotencyKey(batchId) is null ? null
        : $"A batch id is 1–{MaxLength} printable ASCII characters without spaces.";

    /// <summary>The registration key or amendment id of row <paramref name="rowNumber"/> of a batch.</summary>
    public static string RowOperationId(string batchId, int rowNumber) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"batch:{batchId}:{rowNumber}");
}
