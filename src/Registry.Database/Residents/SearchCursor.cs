using System.Buffers.Text;
using System.Text;

namespace Registry.Database.Residents;

/// <summary>
/// The position after the last row of a page, (name_key, personal_id), as an opaque URL-safe string. Keyset
/// paging: the next page starts strictly after it in the index order, so rows inserted meanwhile never shift a
/// page and deep pages cost what the first one does. Callers only hand it back; nothing in it is a secret.
/// </summary>
internal static class SearchCursor
{
    // Bumped if the layout changes, so that an old cursor is refused instead of misread.
    private const char Layout = '1';
    private const int NumberLength = 12;

    // Longer than any cursor this class makes (a name key of 200 characters is at most 800 bytes of UTF-8).
    private const int MaxLength = 1_200;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Encode(string nameKey, string personalId) =>
        Base64Url.EncodeToString(StrictUtf8.GetBytes(Layout + personalId + nameKey));

    public static bool TryDecode(string cursor, out (string NameKey, string PersonalId) position)
    {
        position = default;
        if (cursor.Length is 0 or > MaxLength || !Base64Url.IsValid(cursor))
        {
            return false;
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        if (text.Length < 1 + NumberLength || text[0] != Layout || text.AsSpan(1, NumberLength).ContainsAnyExceptInRange('0', '9')
            || text.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        position = (text[(1 + NumberLength)..], text.Substring(1, NumberLength));
        return true;
    }
}
