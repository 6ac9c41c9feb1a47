namespace Registry.Domain.Access;

/// <summary>What became of a request the audit log records, as its HTTP status says.</summary>
public enum AuditOutcome
{
    /// <summary>Answered (1xx–3xx): the data was read or changed as asked.</summary>
    Allowed,

    /// <summary>401 or 403: the access rules refused the caller; nothing was read or changed.</summary>
    Denied,

    /// <summary>Any other 4xx: bad input, nobody found, a conflict, too many requests; nothing was read or changed.</summary>
    Refused,

    /// <summary>5xx: the registry failed; what was done is unknown to the caller.</summary>
    Failed,
}

/// <summary>The audit outcome of a status code, and its name in the log.</summary>
public static class AuditOutcomes
{
    /// <summary>
    /// The outcome of a request answered with <paramref name="statusCode"/>. Denied is kept apart from refused because
    /// denied attempts are what an audit of illegal access looks for first.
    /// </summary>
    public static AuditOutcome Of(int statusCode) => statusCode switch
    {
        401 or 403 => AuditOutcome.Denied,
        >= 400 and < 500 => AuditOutcome.Refused,
        >= 500 => AuditOutcome.Failed,
        _ => AuditOutcome.Allowed,
    };

    /// <summary>The outcome's name in the log and on the wire, e.g. <c>denied</c>.</summary>
    public static string Name(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Allowed => "allowed",
        AuditOutcome.Denied => "denied",
        AuditOutcome.Refused => "refused",
        AuditOutcome.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Not an audit outcome."),
    };
}
