using System.Globalization;
using System.Net;

namespace Registry.LoadTests.Scenarios;

/// <summary>How one request ended.</summary>
internal enum OutcomeKind
{
    /// <summary>The API gave the expected answer.</summary>
    Succeeded,

    /// <summary>The API answered, but not as expected (an error status, or a body that breaks the contract).</summary>
    Rejected,

    /// <summary>No HTTP answer: refused connection, reset, timeout.</summary>
    NoResponse,
}

/// <summary>
/// The result of one request. <see cref="Label"/> is what errors are counted by: the status code
/// (<c>"500 InternalServerError"</c>), a contract breach (<c>"201 without personalIdNumber"</c>) or a
/// transport failure (<c>"connection refused"</c>, <c>"timeout"</c>).
/// </summary>
/// <param name="Kind">Success, an unexpected answer, or no answer.</param>
/// <param name="Label">Short key the report groups by.</param>
/// <param name="Detail">For failures: the start of the response body or the exception message; kept for the first occurrence only.</param>
internal readonly record struct RequestOutcome(OutcomeKind Kind, string Label, string? Detail = null)
{
    private const int MaxDetailLength = 300;

    public bool Succeeded => Kind == OutcomeKind.Succeeded;

    public static RequestOutcome Success(HttpStatusCode status) => new(OutcomeKind.Succeeded, StatusLabel(status));

    /// <summary>A grain call gave the expected answer; <paramref name="label"/> names it (e.g. <c>Registered</c>).</summary>
    public static RequestOutcome Success(string label) => new(OutcomeKind.Succeeded, label);

    /// <summary>The API answered with an unexpected status; <paramref name="body"/> is usually RFC 7807 problem details.</summary>
    public static RequestOutcome UnexpectedStatus(HttpStatusCode status, string? body) =>
        new(OutcomeKind.Rejected, StatusLabel(status), Shorten(body));

    /// <summary>The status was right but the answer breaks the API contract.</summary>
    public static RequestOutcome ContractBreach(string label, string? detail) =>
        new(OutcomeKind.Rejected, label, Shorten(detail));

    public static RequestOutcome NoResponse(string label, string? detail) =>
        new(OutcomeKind.NoResponse, label, Shorten(detail));

    public static string StatusLabel(HttpStatusCode status) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)status} {status}");

    /// <summary>One line, at most <see cref="MaxDetailLength"/> characters, so a report table stays a table.</summary>
    private static string? Shorten(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var oneLine = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= MaxDetailLength ? oneLine : string.Concat(oneLine.AsSpan(0, MaxDetailLength), "…");
    }
}
