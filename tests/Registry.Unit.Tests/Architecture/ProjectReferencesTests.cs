using System.Xml.Linq;

namespace Registry.Unit.Tests.Architecture;

/// <summary>
/// The walls between the rooms, as the README's folder table states them: each project references only the projects it
/// may. The rules live in the domain, the SQL in the database project, grains are loaded by silos alone, and the API and
/// the load generator reach grains only as cluster clients (the operators' bulk load writes grain states of a stopped cluster).
/// </summary>
public sealed class ProjectReferencesTests
{
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Registry.Contracts"] = [],
        ["Registry.Domain"] = ["Registry.Contracts"],
        ["Registry.Database"] = ["Registry.Contracts", "Registry.Domain"],
        ["Registry.Grains"] = ["Registry.Contracts", "Registry.Domain", "Registry.Database"],
        ["Registry.Silo"] = ["Registry.Grains", "Registry.Database", "Registry.ServiceDefaults"],
        ["Registry.Api"] = ["Registry.Contracts", "Registry.Domain", "Registry.Database", "Registry.ServiceDefaults", "Registry.Tokens"],
        ["Registry.Tokens"] = ["Registry.Contracts"],
        ["Registry.ServiceDefaults"] = ["Registry.Tokens"],
        // The national bulk load writes citizens' and allocators' first states with the grains' own state types, keys and
        // storage format, into a stopped cluster's database; it hosts no grain.
        ["Registry.Admin"] = ["Registry.Database", "Registry.Tokens", "Registry.Grains"],
        ["Registry.LoadTests"] = ["Registry.Contracts", "Registry.Database", "Registry.ServiceDefaults"],
        ["Registry.Domain.Tests"] = ["Registry.Domain"],
    };

    /// <summary>Every product project, the load generator and the domain's tests reference only what the table allows.</summary>
    [Fact]
    public void Each_project_references_only_what_its_room_may()
    {
        var root = RepositoryRoot();
        var projects = Directory.GetFiles(root, "*.csproj", SearchOption.AllDirectories)
            .Where(static path => !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                  && !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(static path => Path.GetFileNameWithoutExtension(path), StringComparer.Ordinal);

        Assert.All(Allowed.Keys, name => Assert.True(projects.ContainsKey(name), $"{name} is in the table but not in the repository."));
        var breaches = Allowed
            .SelectMany(rule => References(projects[rule.Key]).Except(rule.Value, StringComparer.Ordinal).Select(reference => $"{rule.Key} → {reference}"))
            .ToArray();
        Assert.Empty(breaches);
    }

    /// <summary>Every project of src/ has a rule: a new project states its walls when it is added.</summary>
    [Fact]
    public void Every_product_project_has_a_rule()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var unruled = Directory.GetFiles(src, "*.csproj", SearchOption.AllDirectories)
            .Select(Path.GetFileNameWithoutExtension).Where(name => !Allowed.ContainsKey(name!)).ToArray();
        Assert.Empty(unruled);
    }

    private static IEnumerable<string> References(string project) =>
        XDocument.Load(project).Descendants("ProjectReference")
            .Select(static reference => Path.GetFileNameWithoutExtension(reference.Attribute("Include")!.Value.Replace('\\', '/')));

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Cluster.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Cluster.sln above {AppContext.BaseDirectory}.");
    }
}
