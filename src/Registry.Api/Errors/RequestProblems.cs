using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Registry.Contracts;
using Registry.Contracts.Identity;

namespace Registry.Api.Errors;

/// <summary>
/// Turns refusals and failures into RFC 9457 problem details. A body that is not valid JSON, gives a field twice, or holds a
/// value of the wrong type, becomes a 400 naming the field (from the JSON path), like any other validation error.
/// </summary>
public sealed class RequestProblems(IProblemDetailsService problems) : IExceptionHandler
{
    /// <summary>The header a request's idempotency key travels in; the commands and their refusals name it <c>idempotencyKey</c>.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>
    /// How long a caller waits before repeating a request the database did not answer: long enough for the requests
    /// ahead of it to free their connections, short enough that an office clerk repeats it while the citizen waits.
    /// </summary>
    public static readonly TimeSpan DatabaseRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The answer to <paramref name="refusal"/>, the one place a refusal becomes HTTP: its title; the status of its kind
    /// (invalid 400, forbidden 403, not found 404, conflict 409, unsupported format 415); its errors keyed by field, the
    /// idempotency key named as the header it travels in; and, but for invalid input, its messages as the detail.
    /// </summary>
    /// <param name="refusal">Why the request was refused.</param>
    /// <param name="extensions">Members of the problem beside the errors, e.g. the candidates of a suspected duplicate.</param>
    public static RefusalProblem For(Refusal refusal, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var errors = refusal.Errors.Select(InRequestTerms).GroupBy(error => error.Field)
            .ToDictionary(group => group.Key, group => group.Select(error => error.Message).ToArray());
        if (refusal.Kind == RefusalKind.Invalid)
        {
            return new RefusalProblem(TypedResults.ValidationProblem(errors, title: refusal.Title, extensions: extensions), StatusCodes.Status400BadRequest);
        }

        var status = refusal.Kind switch
        {
            RefusalKind.NotFound => StatusCodes.Status404NotFound,
            RefusalKind.Forbidden => StatusCodes.Status403Forbidden,
            RefusalKind.Conflict => StatusCodes.Status409Conflict,
            RefusalKind.UnsupportedFormat => StatusCodes.Status415UnsupportedMediaType,
            _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal.Kind, "Unknown kind of refusal."),
        };
        return new RefusalProblem(
            TypedResults.Problem(
                title: refusal.Title,
                detail: string.Join(" ", refusal.Errors.Select(error => error.Message)),
                statusCode: status,
                extensions: new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["errors"] = errors }),
            status);
    }

    /// <summary>The answer to invalid input naming each field (400).</summary>
    public static RefusalProblem Invalid(IEnumerable<FieldError> errors) => For(Refusal.Invalid(errors));

    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        (int status, ProblemDetails? problem) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => (StatusCodes.Status400BadRequest, Unreadable(json)),
            BadHttpRequestException bad => (bad.StatusCode, Unreadable("body", bad.Message)),
            IdNumberPrefixExhaustedException exhausted => (StatusCodes.Status409Conflict, new ProblemDetails
            {
                Title = "No personal ID number is left for this birth province, sex and year.",
                Detail = exhausted.Message,
            }),
            // Never the database's message: it stays in the silo's log (the translation names only the grain call).
            RegistryDatabaseUnavailableException => (StatusCodes.Status503ServiceUnavailable, new ProblemDetails
            {
                Title = "The registry's database did not answer (it is overloaded or unreachable); the outcome is unknown. Retry with the same Idempotency-Key.",
            }),
            TimeoutException or SiloUnavailableException or OrleansMessageRejectionException => (StatusCodes.Status503ServiceUnavailable, new ProblemDetails
            {
                Title = "The registry cluster did not answer in time; the outcome is unknown. Retry with the same Idempotency-Key.",
            }),
            _ => (0, (ProblemDetails?)null),
        };
        if (problem is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        if (exception is RegistryDatabaseUnavailableException)
        {
            httpContext.Response.Headers.RetryAfter = ((int)DatabaseRetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        problem.Status = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    // One name from the command to storage, but over HTTP the key is a header, not a body field: name it as the caller sent it.
    private static FieldError InRequestTerms(FieldError error) =>
        error.Field == "idempotencyKey" ? error with { Field = IdempotencyKeyHeader } : error;

    // The serializer's own message names CLR types; say where the problem is in the caller's terms instead.
    private static HttpValidationProblemDetails Unreadable(JsonException json)
    {
        var where = json.LineNumber is { } line && json.BytePositionInLine is { } position ? $" (line {line + 1}, byte {position + 1})" : "";
        return Unreadable(FieldOf(json.Path), IsRepeatedField(json)
            ? $"This field is given more than once; give it once{where}."
            : $"Not valid JSON, or not a value of this field's type{where}.");
    }

    // System.Text.Json has no exception type of its own for a property read twice (AllowDuplicateProperties = false),
    // only its message, "Duplicate property 'x' ..." for an object and "Duplicate properties ..." for a dictionary;
    // the API tests of repeated fields fail if a new runtime words it otherwise. The path names the field either way.
    private static bool IsRepeatedField(JsonException json) =>
        json.Message.StartsWith("Duplicate propert", StringComparison.Ordinal);

    private static HttpValidationProblemDetails Unreadable(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] })
        {
            Title = "The request body could not be read; nothing was changed.",
        };

    // "$.birthDate" → "birthDate"; a document broken before any property has no field, so name the body.
    private static string FieldOf(string? path) =>
        path is null or "$" || !path.StartsWith("$.", StringComparison.Ordinal) ? "body" : path[2..];
}
