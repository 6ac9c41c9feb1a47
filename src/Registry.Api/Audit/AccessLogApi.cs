using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Registry.Api.Access;
using Registry.Api.Errors;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Database.Audit;
using Registry.Domain.Access;
using Registry.Domain.Residents;
using Registry.Tokens;

namespace Registry.Api.Audit;

/// <summary>
/// The data tracker (issue 11, part 5): <c>GET /me/access-log</c> shows a citizen who read or changed their record, when,
/// why and which fields; <c>POST /audit/releases</c> lets a central administrator disclose a covert investigation's
/// entries before their hiding period ends. Both are audited.
/// </summary>
public static class AccessLogApi
{
    /// <summary>Entries in a page when the caller does not say.</summary>
    public const int DefaultLimit = 50;

    /// <summary>Maps the tracker and the releases.</summary>
    public static IEndpointRouteBuilder MapAccessLogApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/me/access-log", ReadAsync)
            .WithTags("Access")
            .WithName("ReadMyAccessLog")
            .RequireAuthorization(policy => policy.RequireAuthenticatedUser().RequireRole(ActorClaims.RoleName(ActorRole.Citizen)))
            .AuditsPersonalData()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Who read or changed my record: when, which institution and role, why, which fields")
            .WithDescription("Newest first, one page at a time: limit 1–200 (default 50), before: the 'next' value of the previous page. " +
                             "Only requests that were answered are listed. Accesses for a covert investigation appear once a central administrator " +
                             "releases them or their hiding period has passed, and never with their note (the investigators' file reference).");

        endpoints.MapPost("/audit/releases", ReleaseAsync)
            .WithTags("Access")
            .WithName("ReleaseCovertAccesses")
            .RequireAuthorization(RegistryPolicies.Administer)
            .AuditsPersonalData()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Disclose a covert investigation's accesses to the people it looked at")
            .WithDescription("purposeNote: the note the investigators stated with the covert purpose (their case reference). Every access made " +
                             "under a covert purpose with exactly that note, up to now, appears in the access logs of the people it named.");
        return endpoints;
    }

    private static async Task<Results<Ok<AccessLogPage>, RefusalProblem>> ReadAsync(
        int? limit,
        string? before,
        ClaimsPrincipal user,
        HttpContext context,
        AccessLog accessLog,
        TimeProvider time,
        IOptions<AuditOptions> options,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        errors.Add("limit", limit is < 1 or > AccessLog.MaxLimit ? $"limit is 1 to {AccessLog.MaxLimit}." : null);
        var cursor = before is null ? null : ParseCursor(before);
        errors.Add("before", before is not null && cursor is null ? "before must be the 'next' value of a previous page." : null);
        if (errors.Any)
        {
            return RequestProblems.Invalid(errors.ToArray());
        }

        // The citizen's token names them by their personal ID number (ActorClaims), so this is their own log only.
        var personalIdNumber = user.ToActor().Id;
        context.Audit().Touch(personalIdNumber, ["accessLog"]);
        var now = time.GetUtcNow();
        var hidingPeriod = options.Value.CovertHidingPeriod;
        var pageSize = limit ?? DefaultLimit;
        var entries = await accessLog.ReadAsync(
            personalIdNumber,
            [.. AccessPurposes.All.Where(purpose => purpose.Covert).Select(purpose => purpose.Code)],
            CovertDisclosure.ShownWithoutReleaseUpTo(now, hidingPeriod),
            now,
            cursor,
            pageSize,
            cancellationToken);
        var next = entries.Count == pageSize
            ? $"/me/access-log?limit={pageSize}&before={Uri.EscapeDataString(FormatCursor(entries[^1].Cursor))}"
            : null;
        return TypedResults.Ok(new AccessLogPage([.. entries.Select(AccessLogEntryResponse.From)], next));
    }

    private static async Task<Results<Created<AuditReleaseResponse>, RefusalProblem>> ReleaseAsync(
        AuditReleaseRequest request,
        ClaimsPrincipal user,
        AccessLog accessLog,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var note = request.PurposeNote;
        if (string.IsNullOrWhiteSpace(note) || note.Length > AccessPurposes.MaximumNoteLength || note.Any(char.IsControl))
        {
            return RequestProblems.Invalid([new FieldError("purposeNote",
                $"Give the note the covert accesses were stated with: 1 to {AccessPurposes.MaximumNoteLength} characters, without control characters.")]);
        }

        // Trimmed as AccessPurposes.TryState stored it, so that the release names exactly the entries' note.
        var releasedAt = AuditRecord.ToStoredPrecision(time.GetUtcNow());
        var releasedBy = user.ToActor().Id;
        var id = await accessLog.ReleaseAsync(note.Trim(), releasedAt, releasedBy, cancellationToken);
        return TypedResults.Created((string?)null, new AuditReleaseResponse(id, note.Trim(), releasedAt, releasedBy));
    }

    private static string FormatCursor(AccessLogCursor cursor)
    {
        var micros = (cursor.AccessedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        var text = string.Create(CultureInfo.InvariantCulture, $"{micros}.{cursor.Position}.{cursor.ChainId}");
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
    }

    private static AccessLogCursor? ParseCursor(string value)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(value)).Split('.', 3);
            return parts.Length == 3
                   && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var micros)
                   && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var position)
                   && parts[2].Length > 0
                   && micros <= (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10
                ? new AccessLogCursor(DateTimeOffset.UnixEpoch.AddTicks(micros * 10), parts[2], position)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>A page of a person's access log.</summary>
/// <param name="Entries">Newest first.</param>
/// <param name="Next">The address of the next page, absent on the last.</param>
public sealed record AccessLogPage(AccessLogEntryResponse[] Entries, string? Next);

/// <summary>One access to the person's data.</summary>
/// <param name="At">When.</param>
/// <param name="Institution">Who: the institution's or official's id, as their token names them.</param>
/// <param name="Role">Their role: provincial-officer, central-administrator, ministry-partner or citizen.</param>
/// <param name="Province">A provincial officer's province.</param>
/// <param name="Action">read or change.</param>
/// <param name="Purpose">Why, from the published list; absent when none was stated.</param>
/// <param name="Note">The caller's note (a case or file reference); never for a covert purpose.</param>
/// <param name="Fields">The fields read or changed, when the endpoint names them.</param>
public sealed record AccessLogEntryResponse(
    DateTimeOffset At, string Institution, string? Role, string? Province, string Action, AccessPurposeResponse? Purpose, string? Note, string[] Fields)
{
    /// <summary>The entry as the person reads it.</summary>
    public static AccessLogEntryResponse From(AccessLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        AccessPurposes.TryFind(entry.Purpose, out var purpose);
        return new AccessLogEntryResponse(
            entry.Cursor.AccessedAt,
            entry.ActorId,
            entry.ActorRole,
            entry.ActorProvince,
            entry.Endpoint.StartsWith("GET ", StringComparison.Ordinal) ? "read" : "change",
            purpose is null ? null : new AccessPurposeResponse(purpose.Code, purpose.Description),
            CovertDisclosure.ShowsNote(purpose) ? entry.PurposeNote : null,
            [.. entry.Fields]);
    }
}

/// <summary>A purpose of the published list.</summary>
/// <param name="Code">Its code.</param>
/// <param name="Description">What it covers.</param>
public sealed record AccessPurposeResponse(string Code, string Description);

/// <summary>A release of a covert investigation's accesses.</summary>
/// <param name="PurposeNote">The note the accesses were stated with: the investigators' case reference.</param>
public sealed record AuditReleaseRequest(string? PurposeNote);

/// <summary>A release recorded.</summary>
/// <param name="ReleaseId">Its number.</param>
/// <param name="PurposeNote">The note it releases.</param>
/// <param name="ReleasedAt">When; accesses up to this instant are released.</param>
/// <param name="ReleasedBy">The central administrator.</param>
public sealed record AuditReleaseResponse(long ReleaseId, string PurposeNote, DateTimeOffset ReleasedAt, string ReleasedBy);
