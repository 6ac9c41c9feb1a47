using Registry.Contracts.Batches;

namespace Registry.Domain.Batches;

/// <summary>What became of one row of a batch.</summary>
public enum BatchRowStatus
{
    /// <summary>Not processed yet (or left for the next round after a transient failure).</summary>
    Pending = 0,

    /// <summary>The registration or amendment is applied.</summary>
    Applied = 1,

    /// <summary>
    /// People with the same name, birth date and birth province are already registered; nothing changed. The
    /// province checks them and, for another person, uploads the row again with confirmedNotDuplicate.
    /// </summary>
    DuplicateCandidate = 2,

    /// <summary>Refused with the reasons in its result; nothing changed.</summary>
    Rejected = 3,
}

/// <summary>The names statuses have in the database and the API.</summary>
public static class BatchStatusNames
{
    /// <summary>The row status's name, as stored in <c>registry.batch_row.status</c>.</summary>
    public static string Name(BatchRowStatus status) => status switch
    {
        BatchRowStatus.Pending => "pending",
        BatchRowStatus.Applied => "applied",
        BatchRowStatus.DuplicateCandidate => "duplicateCandidate",
        BatchRowStatus.Rejected => "rejected",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown row status."),
    };

    /// <summary>The row status named <paramref name="name"/>, or null.</summary>
    public static BatchRowStatus? ParseRowStatus(string? name) => name switch
    {
        "pending" => BatchRowStatus.Pending,
        "applied" => BatchRowStatus.Applied,
        "duplicateCandidate" => BatchRowStatus.DuplicateCandidate,
        "rejected" => BatchRowStatus.Rejected,
        _ => null,
    };

    /// <summary>The batch status's name, as stored in <c>registry.batch.status</c>.</summary>
    public static string Name(BatchStatus status) => status switch
    {
        BatchStatus.Receiving => "receiving",
        BatchStatus.Received => "received",
        BatchStatus.Running => "running",
        BatchStatus.Completed => "completed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown batch status."),
    };

    /// <summary>The batch status stored under <paramref name="name"/>.</summary>
    public static BatchStatus ParseBatchStatus(string name) => name switch
    {
        "receiving" => BatchStatus.Receiving,
        "received" => BatchStatus.Received,
        "running" => BatchStatus.Running,
        "completed" => BatchStatus.Completed,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown batch status."),
    };
}
