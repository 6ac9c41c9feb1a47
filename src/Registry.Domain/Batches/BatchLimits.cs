using System.Globalization;

namespace Registry.Domain.Batches;

/// <summary>The bounds of an upload, and the results of rows refused before they are parsed.</summary>
public static class BatchLimits
{
    /// <summary>
    /// Longest record kept, in bytes of UTF-8. A person's registration is well under 4 KiB; the bound keeps a broken
    /// or hostile file (a missing newline, a 1 GB line) from being held in memory, and it is what the row table accepts.
    /// </summary>
    public const int MaxRowBytes = 65_536;

    /// <summary>The field that names a problem with the row as a whole rather than one of its fields.</summary>
    public const string RowField = "row";

    /// <summary>Why a record longer than <see cref="MaxRowBytes"/> is rejected.</summary>
    public static readonly string TooLong = string.Create(CultureInfo.InvariantCulture, $"row longer than {MaxRowBytes:N0} bytes");

    /// <summary>Why a record whose bytes are not UTF-8 is rejected.</summary>
    public const string NotUtf8 = "not valid UTF-8";

    /// <summary>Why a record holding U+0000 is rejected: PostgreSQL text cannot store it, and no field may contain it.</summary>
    public const string HoldsNul = "contains the NUL character U+0000";

    /// <summary>Why a CSV record whose quoted field never closes is rejected.</summary>
    public const string UnclosedQuote = "a quoted field is not closed before the end of the file";
}
