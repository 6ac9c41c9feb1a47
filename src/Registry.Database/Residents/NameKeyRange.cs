using System.Text;

namespace Registry.Database.Residents;

/// <summary>
/// The name keys that start with a folded prefix, as a half-open range [<see cref="From"/>, <see cref="Before"/>)
/// in code point order, which is the order of <c>name_key</c> (collation "C" compares UTF-8 bytes, and UTF-8
/// keeps code point order).
/// </summary>
/// <remarks>
/// A range with two parameters, rather than <c>LIKE $1 || '%'</c>: PostgreSQL turns a LIKE pattern into index
/// bounds only when it plans with the pattern's value. A generic plan (which a prepared statement may switch to
/// after five runs, e.g. with Max Auto Prepare in the connection string) scans the whole name index instead:
/// 5,261 pages and 54 ms for "nguyen van a" on 1,000,000 people, where the generic plan of this range reads 5 pages
/// in 0.04 ms. Characters that are wildcards to LIKE (% _ \) are plain characters here, so nothing needs escaping.
/// </remarks>
/// <param name="From">The prefix itself, the smallest key that starts with it.</param>
/// <param name="Before">The smallest key greater than every key starting with the prefix; null when there is none.</param>
public readonly record struct NameKeyRange(string From, string? Before)
{
    /// <summary>The range of keys starting with <paramref name="prefix"/>, a non-empty folded key.</summary>
    public static NameKeyRange StartingWith(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var runes = prefix.EnumerateRunes().ToList();
        // The successor of the prefix: its last code point incremented. A last code point that is already the
        // highest has no successor; the bound then comes from the one before it.
        while (runes.Count > 0 && runes[^1].Value == 0x10FFFF)
        {
            runes.RemoveAt(runes.Count - 1);
        }

        if (runes.Count == 0)
        {
            return new NameKeyRange(prefix, null);
        }

        var last = runes[^1].Value + 1;
        // Surrogate code points are not characters; the next character after U+D7FF is U+E000.
        runes[^1] = new Rune(last == 0xD800 ? 0xE000 : last);
        var before = new StringBuilder(prefix.Length + 1);
        foreach (var rune in runes)
        {
            before.Append(rune.ToString());
        }

        return new NameKeyRange(prefix, before.ToString());
    }
}
