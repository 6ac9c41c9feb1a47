using System.Security.Cryptography;
using Registry.Database.Schema;

namespace Registry.Unit.Tests.Schema;

/// <summary>
/// Migrations are append-only: <c>src/Registry.Database/Migrations/manifest.sha256</c> (the format of <c>sha256sum</c>)
/// names every migration that reached main with the SHA-256 of its text, and the build's migrations match it both
/// ways. A database journals a migration by name and never runs it again, so a deleted, renumbered or edited migration
/// leaves databases migrated before the change different from new ones (as 0012, deleted and re-added under 0009,
/// left two identical indexes on the ledger). A new migration gets its line with <c>sha256sum 00NN_*.sql >> manifest.sha256</c>.
/// </summary>
public sealed class MigrationManifestTests
{
    private const string ResourcePrefix = "Registry.Database.Migrations.";

    /// <summary>Every migration the manifest lists is carried by the build, with the same text.</summary>
    [Fact]
    public void Every_listed_migration_is_present_and_unchanged()
    {
        var problems = new List<string>();
        foreach (var (name, hash) in Manifest())
        {
            if (!SchemaMigrator.Known().Contains(name))
            {
                problems.Add($"{name} is listed but missing: a migration that reached main was deleted or renumbered; fix forward with a new one.");
            }
            else if (Hash(name) != hash)
            {
                problems.Add($"{name} was edited after it reached main (SHA-256 {Hash(name)}, listed {hash}); restore it and add a new migration.");
            }
        }

        Assert.Empty(problems);
    }

    /// <summary>Every migration the build carries is listed, so that a new one is pinned the day it is added.</summary>
    [Fact]
    public void Every_migration_is_listed()
    {
        var listed = Manifest().Select(static entry => entry.Name).ToHashSet(StringComparer.Ordinal);
        Assert.All(SchemaMigrator.Known(), name => Assert.True(listed.Contains(name), $"{name} is not in manifest.sha256."));
    }

    /// <summary>The manifest names each migration once, in the order they apply.</summary>
    [Fact]
    public void The_manifest_lists_each_migration_once_in_order()
    {
        var names = Manifest().Select(static entry => entry.Name).ToArray();
        Assert.Equal(names.Order(StringComparer.Ordinal).Distinct(StringComparer.Ordinal), names);
    }

    private static List<(string Name, string Hash)> Manifest() =>
        [.. File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Schema", "manifest.sha256"))
            .Where(static line => line.Length > 0)
            .Select(static line => line.Split("  ", 2))
            .Select(static parts => (parts[1], parts[0]))];

    // Line endings are normalised to LF first, so that a Windows checkout (CRLF) pins the same text.
    private static string Hash(string migration)
    {
        using var stream = typeof(SchemaMigrator).Assembly.GetManifestResourceStream(ResourcePrefix + migration)
            ?? throw new InvalidOperationException($"{migration} is not embedded.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
    }
}
