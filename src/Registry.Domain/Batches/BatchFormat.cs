
namespace Registry.Domain.Batches;

/// <summary>The file formats a province may upload.</summary>
public enum BatchFormat
{
    /// <summary>Newline-delimited JSON: one JSON object per line.</summary>
    Ndjson = 0,

    /// <summary>RFC 4180 CSV with a header line naming the columns.</summary>
    Csv = 1,
}

/// <summary>How formats are named in the database and recognised in requests.</summary>
public static class BatchFormats
{
    /// <summary>The media type of NDJSON uploads.</summary>
    public const string NdjsonMediaType = "application/x-ndjson";

    /// <summary>The media type of CSV uploads.</summary>
    public const string CsvMediaType = "text/csv";

    /// <summary>The format's name as stored in <c>registry.batch.format</c>.</summary>
    public static string Name(BatchFormat format) => format switch
    {
        BatchFormat.Ndjson => "ndjson",
        BatchFormat.Csv => "csv",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown batch format."),
    };

    /// <summary>The format stored under <paramref name="name"/>.</summary>
    public static BatchFormat Parse(string name) => name switch
    {
        "ndjson" => BatchFormat.Ndjson,
        "csv" => BatchFormat.Csv,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown batch format."),
    };

    /// <summary>The format of a request body of <paramref name="mediaType"/> (parameters such as charset removed), or null.</summary>
    public static BatchFormat? FromMediaType(string? mediaType) =>
        string.Equals(mediaType, NdjsonMediaType, StringComparison.OrdinalIgnoreCase) ? BatchFormat.Ndjson
        : string.Equals(mediaType, CsvMediaType, StringComparison.OrdinalIgnoreCase) ? BatchFormat.Csv
        : null;
}
