using System.CommandLine;

namespace Registry.Admin;

/// <summary>The options of the commands that talk to the registry API: where it is, and whose token to send.</summary>
public static class ApiConnection
{
    /// <summary><c>--api</c>: the API's base URL, an absolute http(s) URL.</summary>
    public static Option<Uri> Api() => new("--api")
    {
        Description = "Base URL of the registry API.",
        DefaultValueFactory = _ => new Uri("http://127.0.0.1:8080"),
        // System.CommandLine has no converter for Uri: without this, any --api given was an unhandled exception.
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                return uri;
            }

            result.AddError($"--api must be an absolute http or https URL, e.g. http://127.0.0.1:8080; got '{text}'.");
            return null;
        },
    };

    /// <summary><c>--token</c>: a central administrator's bearer token, by default <c>$REGISTRY_TOKEN</c>.</summary>
    public static Option<string?> Token() => new("--token")
    {
        Description = "Bearer token of a central administrator; default $REGISTRY_TOKEN.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("REGISTRY_TOKEN"),
    };
}
