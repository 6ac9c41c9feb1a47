using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Registry.Api.Access;
using Registry.Database.Audit;
using Registry.Domain.Access;
using Registry.Tokens;

namespace Registry.Api.Audit;

/// <summary>
/// No audit, no data: every request to an endpoint marked <see cref="AuditedAccessExtensions.AuditsPersonalData"/> has
/// its response held in memory while the pipeline runs, then its audit row appended and awaited, and only then is the
/// response sent. If the row cannot be written the caller gets 503 and nothing of the response. Placed before error
/// handling, authentication, authorization and rate limiting, so that their 400, 401, 403 and 429 answers to those
/// endpoints are audited too.
/// </summary>
/// <remarks>
/// Holding the response costs memory for its size: the audited endpoints answer a record or a page (at most a
/// thousand rows), never a stream. A change is applied before its row is appended; if the append then fails, the
/// caller sees 503 and repeats with the same Idempotency-Key, which replays the change and audits it.
/// </remarks>
public sealed partial class AuditTrail(RequestDelegate next, AuditLog log, TimeProvider time, IOptions<AuditOptions> options, ILogger<AuditTrail> logger)
{
    /// <summary>Claims naming the client application a token was issued to (OpenID Connect's azp, OAuth's client_id).</summary>
    private static readonly string[] ClientClaims = ["azp", "client_id"];

    /// <summary>Runs the request, audits it, then sends its response.</summary>
    [SuppressMessage("Design", "CA1031", Justification = "Whatever stops the append, the answer is the same: 503 and no data.")]
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Read now: the exception handler clears the endpoint and route values before it writes its answer.
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<AuditsPersonalDataMetadata>() is null)
        {
            await next(context);
            return;
        }

        var route = $"{context.Request.Method} {Pattern(endpoint) ?? context.Request.Path.Value}";
        var routeNumber = context.GetRouteValue("personalIdNumber") as string;

        var server = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        using var held = new MemoryStream();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(held, server));
        var statusCode = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            statusCode = context.Response.StatusCode;
        }
        finally
        {
            context.Features.Set(server);
            // An exception that no handler answered is audited as the 500 the server will send.
            var record = Record(context, route, routeNumber, statusCode);
            try
            {
                // Not the request's abort token: the data was read or changed, so its row is owed even to a caller who left.
                await log.AppendAsync(record).WaitAsync(options.Value.AppendTimeout);
            }
            catch (Exception exception)
            {
                LogAuditFailed(logger, exception, route);
                await RefuseWithoutDataAsync(context);
                held.SetLength(0);
            }
        }

        if (held.Length > 0)
        {
            context.Response.ContentLength ??= held.Length;
            held.Position = 0;
            await held.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    // A group's own path maps as "/residents/" (group prefix and an empty pattern); the route is "/residents".
    private static string? Pattern(Endpoint endpoint) =>
        (endpoint as RouteEndpoint)?.RoutePattern.RawText is { Length: > 1 } pattern ? pattern.TrimEnd('/') : (endpoint as RouteEndpoint)?.RoutePattern.RawText;

    private AuditRecord Record(HttpContext context, string route, string? routeNumber, int statusCode)
    {
        var access = context.Audit();
        var purpose = access.Purpose;
        if (purpose is null && PurposeHeaders.TryRead(context.Request, out var stated, out _))
        {
            // Endpoints that do not ask for a purpose (writes, refusals before the endpoint ran) still record one stated.
            purpose = stated;
        }

        var persons = access.PersonNumbers.Where(AuditRecord.IsPersonNumber).ToList();
        if (persons.Count == 0 && AuditRecord.IsPersonNumber(routeNumber))
        {
            persons.Add(routeNumber!);
        }

        var actor = context.User.Identity?.IsAuthenticated == true && context.User.TryReadActor(out var read, out _) ? read : null;
        var client = actor is null
            ? null
            : ClientClaims.Select(type => context.User.FindFirst(type)?.Value).FirstOrDefault(value => !string.IsNullOrEmpty(value));
        client ??= context.Connection.RemoteIpAddress?.ToString();

        return new AuditRecord(
            AuditRecord.ToStoredPrecision(time.GetUtcNow()),
            actor is null ? AuditRecord.Anonymous : AuditRecord.Clean(actor.Id),
            actor is null ? null : ActorClaims.RoleName(actor.Role),
            actor?.ProvinceCode,
            client is null ? null : AuditRecord.Clean(client),
            purpose?.Purpose.Code,
            purpose is null ? null : AuditRecord.Clean(purpose.Note),
            AuditRecord.Clean(route),
            persons,
            [.. access.Fields.Select(AuditRecord.Clean)],
            AuditOutcomes.Name(AuditOutcomes.Of(statusCode)),
            statusCode,
            access.Refusal is null ? null : AuditRecord.Clean(access.Refusal));
    }

    private static async Task RefuseWithoutDataAsync(HttpContext context)
    {
        if (context.Response.HasStarted)
        {
            // Only an endpoint that bypassed the held body could have started; abort rather than finish its answer.
            context.Abort();
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "5";
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The access could not be recorded in the audit log, so no data is sent.",
                Detail = "Every read and write of personal data is recorded before it is answered. Try again shortly; " +
                         "a change sent with an Idempotency-Key is applied once however often it is repeated.",
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit row of {Endpoint} could not be appended; answered 503 without data")]
    private static partial void LogAuditFailed(ILogger logger, Exception exception, string endpoint);
}
