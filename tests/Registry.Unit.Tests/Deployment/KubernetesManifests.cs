using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using k8s;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Registry.Unit.Tests.Deployment;

/// <summary>One document of a manifest file: Kubernetes' typed model of it (none for CloudNativePG's kinds) and its JSON.</summary>
internal sealed record Manifest(string File, string ApiVersion, string Kind, string Name, object? Typed, JsonObject Json);

/// <summary>
/// Reads the manifests of <c>cluster-config/kubernetes</c> (copied beside the tests) as the cluster would refuse them:
/// a built-in kind through the Kubernetes client's own models, strictly, so an unknown or misspelt field, a wrong type
/// or a duplicate key fails; a CloudNativePG kind against the JSON Schema of the fields this registry uses
/// (<c>Deployment/Schemas</c>), which refuses every other field; any other kind is refused.
/// </summary>
internal static partial class KubernetesManifests
{
    /// <summary>Where the manifests are copied by the test project.</summary>
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "Deployment", "kubernetes");

    private static readonly Lazy<IReadOnlyList<Manifest>> Loaded = new(() =>
        [.. ManifestFiles().SelectMany(path => Read(Path.GetRelativePath(Folder, path), File.ReadAllText(path)))]);

    private static readonly Lazy<Dictionary<string, JsonSchema>> Schemas = new(LoadSchemas);

    /// <summary>Every document of every manifest file, in file order.</summary>
    public static IReadOnlyList<Manifest> All => Loaded.Value;

    /// <summary>The typed documents of one built-in kind.</summary>
    public static IEnumerable<T> OfType<T>() => All.Select(manifest => manifest.Typed).OfType<T>();

    /// <summary>The JSON of the documents of one CloudNativePG kind.</summary>
    public static IEnumerable<JsonObject> Custom(string apiVersion, string kind) =>
        All.Where(manifest => manifest.ApiVersion == apiVersion && manifest.Kind == kind).Select(manifest => manifest.Json);

    /// <summary>The manifest files, without the kustomizations that list them.</summary>
    public static IEnumerable<string> ManifestFiles() =>
        Directory.EnumerateFiles(Folder, "*.yaml", SearchOption.AllDirectories)
            .Where(path => Path.GetFileName(path) != "kustomization.yaml")
            .Order(StringComparer.Ordinal);

    /// <summary>The documents of one file's text; throws <see cref="InvalidManifestException"/> naming what is wrong.</summary>
    public static IReadOnlyList<Manifest> Read(string file, string text)
    {
        var documents = new List<Manifest>();
        foreach (var document in DocumentSeparator().Split(text).Where(part => !string.IsNullOrWhiteSpace(StripComments(part))))
        {
            var json = ToJson(document, file);
            var apiVersion = json["apiVersion"]?.GetValue<string>() ?? throw new InvalidManifestException($"{file}: a document without apiVersion.");
            var kind = json["kind"]?.GetValue<string>() ?? throw new InvalidManifestException($"{file}: a document without kind.");
            var name = json["metadata"]?["name"]?.GetValue<string>() ?? throw new InvalidManifestException($"{file}: a {kind} without a name.");
            documents.Add(new(file, apiVersion, kind, name, Validate(file, document, json, apiVersion, kind, name), json));
        }

        return documents;
    }

    private static object? Validate(string file, string document, JsonObject json, string apiVersion, string kind, string name)
    {
        if (Schemas.Value.TryGetValue($"{apiVersion}/{kind}", out var schema))
        {
            var result = schema.Evaluate(JsonSerializer.SerializeToElement(json), new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!result.IsValid)
            {
                var errors = (result.Details ?? []).Where(detail => detail.Errors is { Count: > 0 })
                    .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Value}"));
                throw new InvalidManifestException($"{file}: {kind} {name} does not match its schema: {string.Join("; ", errors)}");
            }

            return null;
        }

        try
        {
            return KubernetesYaml.LoadAllFromString(document, strict: true).Single();
        }
        catch (KeyNotFoundException)
        {
            throw new InvalidManifestException($"{file}: {apiVersion} {kind} is neither a Kubernetes kind nor one with a schema here.");
        }
        catch (YamlException exception)
        {
            throw new InvalidManifestException($"{file}: {kind} {name}: {exception.Message} {exception.InnerException?.Message}");
        }
    }

    /// <summary>A YAML document as JSON, scalars typed the way Kubernetes reads them (plain 3 a number, "3" a string).</summary>
    public static JsonObject ToJson(string document, string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(document));
        return ToJson(stream.Documents.Single().RootNode) as JsonObject ?? throw new InvalidManifestException($"{file}: a document that is not a mapping.");
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(child =>
            KeyValuePair.Create(((YamlScalarNode)child.Key).Value!, ToJson(child.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar => Plain(scalar.Value ?? string.Empty),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidManifestException($"Unexpected YAML node {node.NodeType}."),
    };

    private static JsonValue? Plain(string value) => value switch
    {
        "" or "~" or "null" => null,
        "true" => JsonValue.Create(true),
        "false" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => JsonValue.Create(whole),
        _ => JsonValue.Create(value),
    };

    private static Dictionary<string, JsonSchema> LoadSchemas()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Deployment", "Schemas");
        var options = new BuildOptions();
        JsonSchema.FromFile(Path.Combine(folder, "cnpg-common.json"), options);
        return new(StringComparer.Ordinal)
        {
            ["postgresql.cnpg.io/v1/Cluster"] = JsonSchema.FromFile(Path.Combine(folder, "cnpg-cluster.json"), options),
            ["postgresql.cnpg.io/v1/ScheduledBackup"] = JsonSchema.FromFile(Path.Combine(folder, "cnpg-scheduledbackup.json"), options),
            ["barmancloud.cnpg.io/v1/ObjectStore"] = JsonSchema.FromFile(Path.Combine(folder, "barmancloud-objectstore.json"), options),
        };
    }

    private static string StripComments(string text) => string.Join('\n', text.Split('\n').Where(line => !line.TrimStart().StartsWith('#')));

    [GeneratedRegex(@"^---[ \t]*\r?$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();
}

/// <summary>A manifest the cluster would refuse, or that this registry's schemas do not know.</summary>
internal sealed class InvalidManifestException(string message) : Exception(message);
