namespace Registry.TestSupport;

/// <summary>
/// The national reference data an operator loads (the commune lists), found beside the repository in
/// <c>../shared/data</c> as <c>cluster-config/up.sh</c> finds it, or in <c>$REGISTRY_REFERENCE_DATA</c>. It is never
/// part of the repository: on a clone without it (CI), the tests that need it pass without running.
/// </summary>
public static class ReferenceData
{
    /// <summary>Environment variable naming the folder when it is not <c>../shared/data</c> beside the repository.</summary>
    public const string FolderVariable = "REGISTRY_REFERENCE_DATA";

    /// <summary>The path of <paramref name="fileName"/> in the reference data folder, or null when it is not there.</summary>
    public static string? Find(string fileName)
    {
        var folder = Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(SiloProcess.RepositoryRoot(), "..", "shared", "data");
        var path = Path.GetFullPath(Path.Combine(folder, fileName));
        return File.Exists(path) ? path : null;
    }
}
