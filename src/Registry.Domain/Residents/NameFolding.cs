using System.Globalization;
using System.Text;

namespace Registry.Domain.Residents;

/// <summary>
/// The search key of a name. Callers type names without diacritics and in any case ("nguyen thi anh" for
/// "Nguyễn Thị Ánh"), so people are found by a folded form: accents, tone marks and case removed, đ read as d,
/// spaces tidied. Pure and culture-invariant, so the key written by a silo and the key a search computes agree.
/// </summary>
public static class NameFolding
{
    /// <summary>
    /// The folded key: canonically decomposed (NFD), combining marks dropped, đ/Đ mapped to d, lower-cased with
    /// the invariant culture, runs of white space collapsed to one space, trimmed, and recomposed (NFC) so that
    /// scripts whose letters decompose into other letters (Hangul) read as before.
    /// </summary>
    /// <param name="name">A name or the start of one; any spacing.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not well-formed UTF-16 (a lone surrogate).</exception>
    public static string Fold(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var decomposed = name.Normalize(NormalizationForm.FormD);
        var key = new StringBuilder(decomposed.Length);
        var spaceOwed = false;
        foreach (var rune in decomposed.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                // Only a space between two kept characters survives: leading and repeated ones vanish here,
                // a trailing one because nothing follows it.
                spaceOwed = key.Length > 0;
                continue;
            }

            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                // Vietnamese vowel marks (ă, â, ê, ô, ơ, ư) and the five tone marks are all combining marks after NFD.
                continue;
            }

            if (spaceOwed)
            {
                key.Append(' ');
                spaceOwed = false;
            }

            // Đ/đ (U+0110/U+0111) is a letter of its own, not d with a mark, so NFD leaves it whole.
            var folded = rune.Value is 'đ' or 'Đ' ? new Rune('d') : Rune.ToLowerInvariant(rune);
            key.Append(folded.ToString());
        }

        return key.ToString().Normalize(NormalizationForm.FormC);
    }
}
