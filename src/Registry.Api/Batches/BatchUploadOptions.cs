using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Registry.ServiceDefaults;

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
    /// <summary>Registers the batch store (on the API's PostgreSQL data source) and the upload bounds.</summary>
    public static WebApplicationBuilder AddRegistryBatches(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = RegistryDatabase.ConnectionString(builder.Configuration);
        // The read model registers the same data source; one pool for both whichever is added first.
        builder.Services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddSingleton<BatchStore>();
        builder.Services.AddOptions<BatchUploadOptions>().BindConfiguration(BatchUploadOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }
}
