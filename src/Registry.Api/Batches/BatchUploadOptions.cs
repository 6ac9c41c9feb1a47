using System.ComponentModel.DataAnnotations;

namespace Registry.Api.Batches;

/// <summary>Bounds of batch uploads; bound from the API's <c>BatchUploads</c> configuration section.</summary>
public sealed class BatchUploadOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "BatchUploads";

    /// <summary>
    /// Largest upload accepted, in bytes (Kestrel's default of 30 MB is far below a province's day). A million
    /// registrations of ~300 bytes is 300 MB; the bound protects the database's disk, not the API's memory, which
    /// never holds more than a chunk.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Rows stored per round trip to PostgreSQL.</summary>
    [Range(1, 10_000)]
    public int ChunkRows { get; set; } = 1_000;

    /// <summary>
    /// Bytes of row text stored per round trip at most, whatever <see cref="ChunkRows"/> says: a thousand rows of
    /// 64 KiB would otherwise be 64 MB in memory at once.
    /// </summary>
    [Range(65_536, 64 * 1024 * 1024)]
    public int ChunkBytes { get; set; } = 1024 * 1024;
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
