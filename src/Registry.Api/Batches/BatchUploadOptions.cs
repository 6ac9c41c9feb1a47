using System.ComponentModel.DataAnnotations;
using Registry.Domain.Batches;

namespace Registry.Api.Batches;

/// <summary>Bounds of batch uploads; bound from the API's <c>BatchUploads</c> configuration section.</summary>
public sealed class BatchUploadOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string Section = "BatchUploads";

    /// <summary>
    /// Largest upload accepted, in bytes (Kestrel's default of 30 MB is far below a province's day). A million
    /// registrations of ~300 bytes is 300 MB; the bound protects the database's disk, not the API's memory, which
    /// never holds more than a chunk.
    /// </summary>
    public long MaxUploadBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Rows stored per round trip to PostgreSQL.</summary>
    public int ChunkRows { get; set; } = 1_000;

    /// <summary>
    /// Bytes of row text stored per round trip at most, whatever <see cref="ChunkRows"/> says: a thousand rows of
    /// 64 KiB would otherwise be 64 MB in memory at once.
    /// </summary>
    public int ChunkBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest <see cref="ChunkBytes"/> accepted.</summary>
    public const int MaxChunkBytes = 64 * 1024 * 1024;

    /// <summary>One message per unusable setting, naming its configuration key; checked when the API starts.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxUploadBytes <= 0)
        {
            yield return new($"{Section}:{nameof(MaxUploadBytes)} must be positive, e.g. 4294967296 (4 GiB).", [nameof(MaxUploadBytes)]);
        }

        if (ChunkRows is < 1 or > 10_000)
        {
            yield return new($"{Section}:{nameof(ChunkRows)} must be between 1 and 10000, e.g. 1000.", [nameof(ChunkRows)]);
        }

        // Room for at least one row of the longest length kept, and no more than one round trip should carry.
        if (ChunkBytes is < BatchLimits.MaxRowBytes or > MaxChunkBytes)
        {
            yield return new($"{Section}:{nameof(ChunkBytes)} must be between 65536 and 67108864, e.g. 1048576.", [nameof(ChunkBytes)]);
        }
    }
}

/// <summary>What the batch endpoints need from the host.</summary>
public static class BatchesHosting
{
    /// <summary>Registers the upload bounds; the batch store comes with the registry's database.</summary>
    public static WebApplicationBuilder AddRegistryBatches(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<BatchUploadOptions>().BindConfiguration(BatchUploadOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }
}
