namespace Registry.Contracts;

/// <summary>
/// Why a request was refused; nothing was changed (invariant 4: applied whole or refused with a reason). Every outcome
/// that can refuse carries this one shape, and the API turns it into problem details in one place.
/// </summary>
/// <param name="Kind">Why, in the terms of an HTTP status.</param>
/// <param name="Title">One sentence for the caller.</param>
/// <param name="Errors">The fields concerned, with a message each; the messages together are the problem's detail.</param>
[GenerateSerializer, Immutable, Alias("registry.Refusal")]
public sealed record Refusal(
    [property: Id(0)] RefusalKind Kind,
    [property: Id(1)] string Title,
    [property: Id(2)] FieldError[] Errors)
{
    /// <summary>The title of a refusal of invalid input.</summary>
    public const string InvalidTitle = "The request has invalid fields; nothing was changed.";

    /// <summary>A refusal of invalid input naming each field.</summary>
    public static Refusal Invalid(IEnumerable<FieldError> errors) => new(RefusalKind.Invalid, InvalidTitle, [.. errors]);

    /// <summary>A refusal of one invalid field.</summary>
    public static Refusal Invalid(string field, string message) => new(RefusalKind.Invalid, InvalidTitle, [new FieldError(field, message)]);
}

/// <summary>Kinds of refusal.</summary>
[GenerateSerializer, Alias("registry.RefusalKind")]
public enum RefusalKind
{
    /// <summary>A field is missing or not acceptable (400).</summary>
    Invalid = 0,

    /// <summary>Nothing has this number, code or id (404).</summary>
    NotFound = 1,

    /// <summary>The actor's role does not allow it (403).</summary>
    Forbidden = 2,

    /// <summary>The record's state does not allow it, or the key or id was used for another request (409).</summary>
    Conflict = 3,

    /// <summary>The body is not in a format the registry reads (415).</summary>
    UnsupportedFormat = 4,
}

/// <summary>One reason a field was refused. <paramref name="Field"/> uses the API's camelCase names.</summary>
[GenerateSerializer, Immutable, Alias("registry.FieldError")]
public sealed record FieldError([property: Id(0)] string Field, [property: Id(1)] string Message);
