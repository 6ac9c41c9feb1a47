using System.Diagnostics.CodeAnalysis;
using Registry.Domain.Access;

namespace Registry.Api.Access;

/// <summary>
/// How a request states its purpose: the code in <c>Access-Purpose</c> and the caller's note (a case or file reference)
/// in <c>Access-Purpose-Note</c>, percent-encoded UTF-8 when it is not ASCII. Headers rather than query parameters, so
/// that the purpose never lands in URLs that proxies log; and the same two headers on every endpoint.
/// </summary>
public static class PurposeHeaders
{
    /// <summary>The header carrying the purpose's code.</summary>
    public const string Code = "Access-Purpose";

    /// <summary>The header carrying the purpose's note.</summary>
    public const string Note = "Access-Purpose-Note";

    /// <summary>The purpose <paramref name="request"/> states, or why it states none (for a 400 naming <see cref="Code"/>).</summary>
    public static bool TryRead(HttpRequest request, [NotNullWhen(true)] out StatedPurpose? stated, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(request);
        var codes = request.Headers[Code];
        var notes = request.Headers[Note];
        if (codes.Count > 1 || notes.Count > 1)
        {
            // Two purposes would let a proxy and the registry read different ones.
            stated = null;
            error = $"Send {Code} and {Note} once each.";
            return false;
        }

        string? note;
        try
        {
            note = notes.Count == 1 ? Uri.UnescapeDataString(notes[0]!) : null;
        }
        catch (UriFormatException)
        {
            stated = null;
            error = $"{Note} must be percent-encoded UTF-8.";
            return false;
        }

        return AccessPurposes.TryState(codes.Count == 1 ? codes[0] : null, note, out stated, out error);
    }
}
