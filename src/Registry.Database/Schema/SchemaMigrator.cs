using DbUp;
using DbUp.Engine;
using DbUp.Engine.Output;

namespace Registry.Database.Schema;

/// <summary>
/// Applies the embedded migrations in name order, each in its own transaction, and records them in
/// <c>public.schema_versions</c>; migrations already recorded are skipped, so applying twice is harmless.
/// </summary>
public static class SchemaMigrator
{
    /// <summary>Brings the database at <paramref name="connectionString"/> up to the latest schema.</summary>
    /// <returns>The names of the migrations applied by this call (empty when it was up to date).</returns>
    /// <exception cref="SchemaMigrationException">A migration failed; the failing one was rolled back.</exception>
    public static IReadOnlyList<string> Apply(string connectionString, IUpgradeLog? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        var upgrader = DeployChanges.To
            .PostgresqlDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(typeof(SchemaMigrator).Assembly)
            .JournalToPostgresqlTable("public", "schema_versions")
            .WithTransactionPerScript()
            // Function bodies are dollar-quoted; DbUp's $variable$ substitution would rewrite them.
            .WithVariablesDisabled()
            .LogTo(log ?? new NoOpUpgradeLog())
            .Build();

        var result = upgrader.PerformUpgrade();
        if (!result.Successful)
        {
            throw new SchemaMigrationException(result.ErrorScript?.Name, result.Error);
        }

        return result.Scripts.Select(script => ScriptName(script)).ToList();
    }

    /// <summary>The migrations this build carries, in the order they apply.</summary>
    public static IReadOnlyList<string> Known() =>
        typeof(SchemaMigrator).Assembly.GetManifestResourceNames()
            .Where(name => name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(ScriptName)
            .ToList();

    private static string ScriptName(SqlScript script) => ScriptName(script.Name);

    private static string ScriptName(string resourceName)
    {
        const string prefix = "Registry.Database.Migrations.";
        return resourceName.StartsWith(prefix, StringComparison.Ordinal) ? resourceName[prefix.Length..] : resourceName;
    }
}

/// <summary>A migration failed and was rolled back; the database stays at the previous migration.</summary>
public sealed class SchemaMigrationException(string? migration, Exception? inner)
    : Exception($"Migration {migration ?? "(unknown)"} failed: {inner?.Message}", inner)
{
    /// <summary>The migration that failed.</summary>
    public string? Migration { get; } = migration;
}
