using nietras.SeparatedValues;

namespace Registry.Domain.Batches;

/// <summary>One CSV record (a stored row or the header) split into its fields.</summary>
public static class CsvRecord
{
    /// <summary>
    /// The fields of <paramref name="record"/>, unquoted, or why it is not a CSV record. Sep splits at the commas
    /// outside quotes; each field is then held to RFC 4180: either without quotes, or wholly quoted with inner quotes
    /// doubled. Sep itself is lenient about stray quotes, and a stray quote usually means a damaged export.
    /// </summary>
    public static (string[]? Fields, string? Error) Split(string record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var reader = Sep.New(',').Reader(options => options with
        {
            HasHeader = false,
            // Raw fields: the quoting is checked below before it is removed.
            Unescape = false,
            DisableColCountCheck = true,
        }).FromText(record);
        string[]? fields = null;
        foreach (var row in reader)
        {
            if (fields is not null)
            {
                // Only possible for text that did not come from the upload's record splitter.
                return (null, "The text holds more than one CSV record.");
            }

            fields = new string[row.ColCount];
            for (var i = 0; i < row.ColCount; i++)
            {
                var (field, error) = Unquote(row[i].Span, i + 1);
                if (error is not null)
                {
                    return (null, error);
                }

                fields[i] = field!;
            }
        }

        return (fields ?? [""], null);
    }

    private static (string? Field, string? Error) Unquote(ReadOnlySpan<char> raw, int position)
    {
        if (!raw.Contains('"'))
        {
            return (raw.ToString(), null);
        }

        var stray = $"Field {position} has a quote that is not RFC 4180 quoting (a quoted field starts and ends with \" and doubles the quotes inside).";
        if (raw.Length < 2 || raw[0] != '"' || raw[^1] != '"')
        {
            return (null, stray);
        }

        var inner = raw[1..^1];
        var text = new System.Text.StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '"')
            {
                if (i + 1 >= inner.Length || inner[i + 1] != '"')
                {
                    return (null, stray);
                }

                i++;
            }

            text.Append(inner[i]);
        }

        return (text.ToString(), null);
    }
}
