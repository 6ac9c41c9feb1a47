using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;

namespace Registry.Api.Errors;

/// <summary>
/// Turns failures into RFC 9457 problem details. A body that is not valid JSON, gives a field twice, or holds a value of the
/// wrong type, becomes a 400 naming the field (from the JSON path), like any other validation error.
/// </summary>
public sealed class RequestProblems(IProblemDetailsService problems) : IExceptionHandler
{
    /// <summary>The header a request's idempotency key travels in; the commands and their refusals name it <c>idempotencyKey</c>.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>A 400 validation problem listing each refused field.</summary>
    public static ValidationProblem Invalid(IEnumerable<FieldError> errors) =>
        TypedResults.ValidationProblem(
            errors.Select(InRequestTerms).GroupBy(error => error.Field).ToDictionary(group => group.Key, group => group.Select(error => error.Message).ToArray()),
            title: "The request has invalid fields; nothing was changed.");

    /// <summary>
    /// A refusal other than invalid input: 404 when nobody holds the number, 403 when the actor may not, 409 when
    /// the record's state or an earlier use of the id does not allow it. The fields concerned are listed as errors.
    /// </summary>
    public static ProblemHttpResult Refused(ChangeRefused refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        return TypedResults.Problem(
            title: refused.Title,
            detail: string.Join(" ", refused.Errors.Select(error => error.Message)),
            statusCode: refused.Kind switch
            {
                RefusalKind.NotFound => StatusCodes.Status404NotFound,
                RefusalKind.Forbidden => StatusCodes.Status403Forbidden,
                RefusalKind.Conflict => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            },
            extensions: new Dictionary<string, object?>
            {
                ["errors"] = refused.Errors.Select(InRequestTerms).GroupBy(error => error.Field).ToDictionary(group => group.Key, group => group.Select(error => error.Message).ToArray()),
            });
    }

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
