namespace Registry.TestSupport;

/// <summary>A database that lives for one test: <c>await using</c> drops it, whatever the test's outcome.</summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private ScratchDatabase(string connectionString) => ConnectionString = connectionString;

    /// <summary>Its connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>An empty database, no migration applied.</summary>
    public static async Task<ScratchDatabase> CreateEmptyAsync(string purpose) => new(await TestDatabase.CreateEmptyAsync(purpose));

    /// <summary>A database at the current schema.</summary>
    public static async Task<ScratchDatabase> CreateMigratedAsync(string purpose) => new(await TestDatabase.CreateMigratedAsync(purpose));

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await TestDatabase.DropAsync(ConnectionString);
}
