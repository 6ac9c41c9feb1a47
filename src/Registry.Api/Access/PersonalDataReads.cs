using System.Text.Json;
using Registry.Api.Audit;
using Registry.Api.Errors;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Domain.Access;

namespace Registry.Api.Access;

/// <summary>
/// The steps every endpoint that returns personal data takes around <see cref="Readers"/>: refuse with 403 saying why,
/// read the stated purpose (400 naming <see cref="PurposeHeaders.Code"/> when an official gives none), and record in the
/// request's <see cref="AuditedAccess"/> what was refused or whose fields were read.
/// </summary>
public static class PersonalDataReads
{
    /// <summary>The 403 answer to <paramref name="reason"/>, a refusal of <see cref="Readers"/>, recorded for the audit.</summary>
    public static RefusalProblem RefuseRead(this HttpContext context, string reason)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Audit().Refusal = reason;
        return RequestProblems.For(new Refusal(RefusalKind.Forbidden, AccessProblems.ForbiddenTitle, [new FieldError("actor", reason)]));
    }

    /// <summary>The 400 answer to <paramref name="errors"/>, recorded for the audit.</summary>
    public static RefusalProblem RefuseInvalid(this HttpContext context, IReadOnlyCollection<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(errors);
        context.Audit().Refusal = string.Join(" ", errors.Select(error => $"{error.Field}: {error.Message}"));
        return RequestProblems.Invalid(errors);
    }

    /// <summary>
    /// Reads the purpose the request states into its audit, and says what is wrong with it, or null: an official or a
    /// partner must state one; a citizen needs none, but one they state is read and must be valid too.
    /// </summary>
    public static FieldError? StatePurpose(this HttpContext context, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(actor);
        var stating = context.Request.Headers.ContainsKey(PurposeHeaders.Code) || context.Request.Headers.ContainsKey(PurposeHeaders.Note);
        if (!Readers.StatesPurpose(actor) && !stating)
        {
            return null;
        }

        if (!PurposeHeaders.TryRead(context.Request, out var stated, out var error))
        {
            return new FieldError(PurposeHeaders.Code, error);
        }

        context.Audit().Purpose = stated;
        return null;
    }

    /// <summary>The wire names of <typeparamref name="TResponse"/>'s fields: what a response of it discloses, for the audit.</summary>
    public static IReadOnlyList<string> FieldsOf<TResponse>() => WireNames<TResponse>.Names;

    private static class WireNames<TResponse>
    {
        // The API writes camelCase (ApiHosting), so these are the names the caller received.
        public static readonly IReadOnlyList<string> Names =
            [.. typeof(TResponse).GetProperties().Select(property => JsonNamingPolicy.CamelCase.ConvertName(property.Name))];
    }
}
